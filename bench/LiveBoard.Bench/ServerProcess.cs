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

    private ServerProcess(Process process, Uri root, IReadOnlyList<string> ownedFiles, TimeSpan readyAfter, List<(TimeSpan At, string Line)> log,
        long startedAt, ProcessMeter meter, List<(TimeSpan At, double Cpu)> startupCpu, StreamWriter? logFile)
    {
        _logFile = logFile;
        StartedAt = startedAt;
        _startupCpu = startupCpu;
        _process = process;
        _ownedFiles = ownedFiles;
        Root = root;
        Meter = meter;
        ReadyAfter = readyAfter;
        _log = log;
    }

    public Uri Root { get; }
    public ProcessMeter Meter { get; }
    public int Pid => _process.Id;
    /// <summary>From the process start to the first successful answer on the ready path.</summary>
    public TimeSpan ReadyAfter { get; }
    /// <summary>The process start, as a <see cref="Stopwatch"/> timestamp.</summary>
    public long StartedAt { get; }

    private readonly List<(TimeSpan At, double Cpu)> _startupCpu;

    /// <summary>
    /// The process's CPU seconds at a moment before it answered the ready path (read at every poll): what it had spent by
    /// then, e.g. by the time the first client got in, which is before the answer when clients retry on their own.
    /// </summary>
    public double CpuSecondsAt(long timestamp)
    {
        var since = Stopwatch.GetElapsedTime(StartedAt, timestamp);
        return _startupCpu.LastOrDefault(s => s.At <= since, (TimeSpan.Zero, 0)).Cpu;
    }
    /// <summary>The server's output lines, each with the time since the process start at which the bench read it.</summary>
    public IReadOnlyList<(TimeSpan At, string Line)> Log
    {
        get { lock (_log) return _log.ToArray(); }
    }

    private readonly List<(TimeSpan At, string Line)> _log;
    private readonly StreamWriter? _logFile;

    /// <summary>Stops the server as a service manager does (SIGTERM) and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan? limit = null)
    {
        if (_process.HasExited) return;
        using (var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) { UseShellExecute = false })!)
            await kill.WaitForExitAsync();
        using var wait = new CancellationTokenSource(limit ?? TimeSpan.FromSeconds(60));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <param name="ownedFiles">Files the server works on that go with it (a fresh database and its -wal/-shm).</param>
    /// <param name="readyPath">polled until it answers 2xx: /healthz by default; the cold-start bench asks for the first page.</param>
    /// <param name="poll">between two polls of the ready path.</param>
    public static async Task<ServerProcess> StartAsync(string fileName, IEnumerable<string> args, IDictionary<string, string> env, int port,
        string? workingDirectory = null, IReadOnlyList<string>? ownedFiles = null, string readyPath = "healthz", TimeSpan? poll = null)
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
        // BENCH_SERVER_LOG=<folder>: every line of every server this run starts, in <folder>/<pid>.log (the in-memory
        // log keeps the start-up only), for a look at what a server did while it stopped.
        var logFolder = Environment.GetEnvironmentVariable("BENCH_SERVER_LOG");
        StreamWriter? file = null;
        var startedAt = Stopwatch.GetTimestamp();
        TimeSpan SinceStart() => Stopwatch.GetElapsedTime(startedAt);
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {fileName}");
        lock (Running) Running.Add(process);
        if (!string.IsNullOrEmpty(logFolder))
        {
            Directory.CreateDirectory(logFolder);
            file = new StreamWriter(Path.Combine(logFolder, $"{process.Id}.log")) { AutoFlush = true };
        }
        var lines = new List<(TimeSpan At, string Line)>();
        // What the server printed so far, for the message if it never answers.
        string Output()
        {
            lock (lines) return string.Join('\n', lines.Select(l => l.Line));
        }
        void Read(string? line)
        {
            if (line is null) return;
            if (file is not null)
                lock (file)
                    try { file.WriteLine($"{SinceStart().TotalSeconds:F3} {line}"); }
                    catch (ObjectDisposedException) { } // a last line after the bench closed the file
            // Only the start-up is of interest; a week-long soak must not keep every line.
            lock (lines)
                if (lines.Count < 2000) lines.Add((SinceStart(), line));
        }
        process.OutputDataReceived += (_, e) => Read(e.Data);
        process.ErrorDataReceived += (_, e) => Read(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var root = new Uri($"http://127.0.0.1:{port}/");
        // Long enough for a cold first page (JIT, first render) to be one answer, not a string of timed-out polls.
        using var http = new HttpClient { BaseAddress = root, Timeout = TimeSpan.FromSeconds(30) };
        var deadline = Stopwatch.StartNew();
        var meter = new ProcessMeter(process.Id);
        var cpu = new List<(TimeSpan, double)>();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (process.HasExited)
            {
                CloseLog(file);
                throw new InvalidOperationException($"{fileName} exited with {process.ExitCode}:\n{Output()}");
            }
            cpu.Add((SinceStart(), meter.CpuSeconds()));
            try
            {
                if ((await http.GetAsync(readyPath)).IsSuccessStatusCode)
                    return new ServerProcess(process, root, ownedFiles ?? [], SinceStart(), lines, startedAt, meter, cpu, file);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            await Task.Delay(poll ?? TimeSpan.FromMilliseconds(200)); // polling a server that is starting up; not synchronising a result
        }
        process.Kill(entireProcessTree: true);
        CloseLog(file);
        throw new TimeoutException($"{fileName} did not answer /{readyPath} within 90 s:\n{Output()}");
    }

    // Under the lock the output readers write with: a line may still arrive as the server goes.
    private static void CloseLog(StreamWriter? file)
    {
        if (file is not null) lock (file) file.Dispose();
    }

    private int _disposed;

    public async ValueTask DisposeAsync()
    {
        // The reconnect storm disposes the stopped server before starting the next; its clean-up must not fail on it
        // again and hide why the storm itself failed.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        lock (Running) Running.Remove(_process);
        _process.Dispose();
        CloseLog(_logFile);
        foreach (var file in _ownedFiles)
            try { File.Delete(file); } catch (IOException) { }
    }
}
