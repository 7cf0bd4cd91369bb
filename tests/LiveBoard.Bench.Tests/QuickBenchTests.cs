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
    }

    // The second wave's scenarios complete: a restart brings every viewer and display back (the figure sent after it
    // shows on every display), the soak loses no event, a cold start on a week's history answers.
    [Fact]
    public async Task Quick_second_wave_completes_with_every_screen_current_after_a_restart_and_nothing_lost()
    {
        var output = await RunBenchAsync("wave2", "--quick");
        Assert.Contains("wave 2: every scenario completed, nothing lost", output);
        Assert.Contains("| LiveBoard /hubs/live + /display | 200 | 2 |", output);
        Assert.Contains("| Release build | demo + 2000 revisions and audit rows | 1 |", output);
    }

    private static async Task<string> RunBenchAsync(params string[] args)
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
        using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, output);
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
