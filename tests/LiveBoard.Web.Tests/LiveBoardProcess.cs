using System.Collections.Concurrent;
using System.Diagnostics;
using LiveBoard.Testing;
using LiveBoard.Web.Operations;
using Microsoft.Data.Sqlite;

namespace LiveBoard.Web.Tests;

/// <summary>
/// LiveBoard as its own process, as a newcomer or a server runs it: the app built beside the tests, started from its
/// own folder on 127.0.0.1 with the given environment (TZ, a database file…), its console output kept for assertions.
/// </summary>
public sealed class LiveBoardProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private LiveBoardProcess(Process process, Uri root)
    {
        _process = process;
        Root = root;
    }

    public Uri Root { get; }

    /// <summary>Everything the process wrote to its console so far.</summary>
    public string Output => string.Join('\n', _output);

    /// <param name="loadRuntimeSettings">whether runtime.env is loaded into its environment, as the service unit does.</param>
    public static async Task<LiveBoardProcess> StartAsync(string database, IReadOnlyDictionary<string, string> environment, bool loadRuntimeSettings = true)
    {
        var root = new Uri($"http://127.0.0.1:{LiveBoardHost.FreePort()}/");
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var bin = Path.Combine(TempPaths.RepoRoot(), "src", "LiveBoard.Web", "bin", configuration, "net10.0");
        var info = new ProcessStartInfo("dotnet", [Path.Combine(bin, "LiveBoard.Web.dll"), "--urls", root.ToString().TrimEnd('/')])
        {
            WorkingDirectory = bin, UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true,
        };
        // The file's settings, or none of them (not whatever the shell that runs the tests exported).
        foreach (var (name, value) in RuntimeSettings.Read(bin))
            if (loadRuntimeSettings) info.Environment[name] = value; else info.Environment.Remove(name);
        info.Environment["ConnectionStrings__LiveBoard"] = $"Data Source={database}";
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        // Plain lines, without the colours a terminal would get.
        info.Environment["Logging__Console__FormatterName"] = "simple";
        info.Environment["Logging__Console__FormatterOptions__ColorBehavior"] = "Disabled";
        foreach (var (name, value) in environment) info.Environment[name] = value;
        var started = new LiveBoardProcess(Process.Start(info)!, root);
        started._process.OutputDataReceived += (_, e) => { if (e.Data is { } line) started._output.Enqueue(line); };
        started._process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) started._output.Enqueue(line); };
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        await started.WaitUntilHealthyAsync();
        return started;
    }

    private async Task WaitUntilHealthyAsync()
    {
        using var http = new HttpClient { BaseAddress = Root, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException("LiveBoard exited while starting:\n" + Output);
            try
            {
                if ((await http.GetAsync("healthz")).IsSuccessStatusCode) return;
            }
            // Not listening yet, or listening and not answering within the request's timeout: a cold process on a
            // loaded machine spends its first seconds compiling (seen: the first /healthz took longer than 5 s).
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
            }
            await Task.Delay(200);
        }
        throw new TimeoutException("LiveBoard did not answer /healthz within 2 minutes:\n" + Output);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        SqliteConnection.ClearAllPools();
    }
}
