using System.Diagnostics;

namespace LiveBoard.Bench.Tests;

public sealed class QuickBenchTests
{
    // No timing is asserted: the machine is shared and the numbers are the bench's to report, not the test's to judge.
    [Fact]
    public async Task Quick_bench_completes_and_every_viewer_receives_every_event()
    {
        var bench = BenchDll();
        var info = new ProcessStartInfo("dotnet", [bench, "--quick"])
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
        Assert.Contains("every viewer received every event", output);
        Assert.Contains("| LiveBoard /hubs/live | 100 |", output);
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
