using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace LiveBoard.Bench;

/// <summary>A server under test in its own process, on 127.0.0.1, so its cost is measured apart from the load.</summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly IReadOnlyList<string> _ownedFiles;

    // A bench that crashes or is stopped with Ctrl+C must not leave servers behind holding ports, CPU and memory.
    private static readonly List<Process> Running = [];

    static ServerProcess()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => KillAll();
        Console.CancelKeyPress += (_, _) => KillAll();
    }

    private static void KillAll()
    {
        lock (Running)
            foreach (var p in Running)
                try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    private ServerProcess(Process process, Uri root, IReadOnlyList<string> ownedFiles)
    {
        _process = process;
        _ownedFiles = ownedFiles;
        Root = root;
        Meter = new ProcessMeter(process.Id);
    }

    public Uri Root { get; }
    public ProcessMeter Meter { get; }
    public int Pid => _process.Id;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="ownedFiles">Files the server works on that go with it (a fresh database and its -wal/-shm).</param>
    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> args, IDictionary<string, string> env, int port,
        string? workingDirectory = null, IReadOnlyList<string>? ownedFiles = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) info.ArgumentList.Add(a);
        foreach (var (k, v) in env) info.Environment[k] = v;
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        lock (Running) Running.Add(process);
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var root = new Uri($"http://127.0.0.1:{port}/");
        using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}:\n{log}");
            try
            {
                if ((await http.GetAsync("healthz")).IsSuccessStatusCode) return new ServerProcess(process, root, ownedFiles ?? []);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(200); // polling a server that is starting up; not synchronising a result
        }
        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"{fileName} did not answer /healthz within 90 s:\n{log}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        lock (Running) Running.Remove(_process);
        _process.Dispose();
        foreach (var file in _ownedFiles)
            try { File.Delete(file); } catch (IOException) { }
    }
}
