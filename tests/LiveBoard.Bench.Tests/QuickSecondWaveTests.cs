namespace LiveBoard.Bench.Tests;

/// <summary>
/// A class of its own so that xunit runs it beside <see cref="QuickBenchTests"/>: each bench run spends much of its
/// time starting servers and browsers and waiting for them, so two side by side finish sooner than one after the other.
/// </summary>
public sealed class QuickSecondWaveTests
{
    // The second wave's scenarios complete: a restart brings every viewer and display back (the figure sent after it
    // shows on every display), the soak loses no event, the import is all or nothing. Cold start is left to the full
    // run: it only starts the server (as every scenario here does) and its minute would push the suite past its budget.
    [Fact]
    public async Task Quick_second_wave_completes_with_every_screen_current_after_a_restart_and_nothing_lost()
    {
        var output = await QuickBenchTests.RunBenchAsync("wave2", "--quick", "--scenarios", "import,storm,soak");
        Assert.Contains("wave 2: every scenario completed, nothing lost", output);
        Assert.Contains("| LiveBoard /hubs/live + /display | 200 | 2 |", output);
        Assert.Contains("| one bad row at row ", output);
    }
}
