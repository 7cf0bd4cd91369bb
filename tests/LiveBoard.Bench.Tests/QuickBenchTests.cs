using System.Diagnostics;

namespace LiveBoard.Bench.Tests;

public sealed class QuickBenchTests
{
    // No timing is asserted: the machine is shared and the numbers are the bench's to report, not the test's to judge.
    [Fact]
    public async Task Quick_bench_completes_and_every_viewer_receives_every_event()
    {
        var output = await RunBenchAsync("--quick");
        Assert.Contains("every viewer received every event", output);
        Assert.Contains("| LiveBoard /hubs/live | 100 |", output);
        // The display circuits and their floor, a bare Blazor page played the same rounds, both with every update seen.
        Assert.Matches(@"\| display circuits \(ticker\) \| 2 \| 3 \| [^|]+\| [^|]+\| [^|]+\| [^|]+\| 0 \|", output);
        Assert.Matches(@"\| bare Blazor circuits \(baseline\) \| 2 \| 3 \| [^|]+\| [^|]+\| [^|]+\| [^|]+\| 0 \|", output);
        Assert.Contains("| bare Blazor circuit (baseline) | 2 |", output);
    }

    [Fact]
    public async Task The_second_wave_refuses_an_option_it_does_not_know_instead_of_running_the_full_wave()
    {
        var output = await RunBenchAsync(expectFailure: true, "wave2", "--help");
        Assert.Contains("wave2 does not know --help", output);
    }

    internal static Task<string> RunBenchAsync(params string[] args) => RunBenchAsync(expectFailure: false, args);

    internal static async Task<string> RunBenchAsync(bool expectFailure, params string[] args)
    {
        var bench = BenchDll();
        var info = new ProcessStartInfo("dotnet", [bench, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(bench)!,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var limit = TimeSpan.FromMinutes(5);
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            // What the bench printed says which phase it was in.
            Assert.Fail($"the bench did not finish within {limit}; its output so far:\n{await stdout}{await stderr}");
        }
        var output = await stdout + await stderr;
        Assert.True(expectFailure ? process.ExitCode != 0 : process.ExitCode == 0, output);
        return output;
    }

    /// <summary>The bench built beside these tests, in the same configuration.</summary>
    private static string BenchDll()
    {
        var here = new DirectoryInfo(AppContext.BaseDirectory); // tests/LiveBoard.Bench.Tests/bin/<config>/<tfm>/
        var tfm = here.Name;
        var configuration = here.Parent!.Name;
        var root = here;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "LiveBoard.sln"))) root = root.Parent;
        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "bench", "LiveBoard.Bench", "bin", configuration, tfm, "LiveBoard.Bench.dll");
        Assert.True(File.Exists(dll), $"build the solution first: {dll} is missing");
        return dll;
    }
}
