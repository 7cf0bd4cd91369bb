using System.Text.RegularExpressions;
using LiveBoard.Testing;

namespace LiveBoard.Web.Tests;

/// <summary>
/// What a newcomer sees in the console when running LiveBoard: what the first start is doing, where the database file
/// is, which address to open and the demo wall display's full address on every start, and no EF Core warning.
/// (Data protection warns on a first start that its key ring is stored unencrypted; that is deployment's business.)
/// </summary>
public sealed partial class FirstStartTests
{
    [Fact]
    public async Task Every_start_says_where_to_open_LiveBoard_and_the_demo_screen_with_host_and_port()
    {
        var database = TempPaths.NewDatabase();
        string first;
        await using (var server = await LiveBoardProcess.StartAsync(database, new Dictionary<string, string>()))
            first = await OutputOnceReadyAsync(server);
        Assert.Contains($"Database file: {database}", first, StringComparison.Ordinal);
        Assert.Contains("Preparing the demo accounts", first, StringComparison.Ordinal);
        Assert.DoesNotContain("MultipleCollectionIncludeWarning", first, StringComparison.Ordinal);
        Assert.DoesNotContain("warn: Microsoft.EntityFrameworkCore", first, StringComparison.Ordinal);

        // The second start on the same file prints the same screen address (the key is not lost after the first start).
        await using var again = await LiveBoardProcess.StartAsync(database, new Dictionary<string, string>());
        var second = await OutputOnceReadyAsync(again);
        var screen = DemoScreenUrl().Match(second);
        Assert.True(screen.Success, second);
        Assert.StartsWith(again.Root.ToString(), screen.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains($"LiveBoard is ready: open {again.Root}", second, StringComparison.Ordinal);
        Assert.DoesNotContain("warn: Microsoft.EntityFrameworkCore", second, StringComparison.Ordinal);

        // The printed address opens the wall display.
        using var http = new HttpClient();
        var display = await http.GetAsync(new Uri(screen.Groups[1].Value));
        Assert.True(display.IsSuccessStatusCode);
        Assert.Contains("data-panel=", await display.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // The "ready" line is written once Kestrel listens, which may be just after /healthz first answers.
    private static async Task<string> OutputOnceReadyAsync(LiveBoardProcess server)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!server.Output.Contains("LiveBoard is ready", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
            await Task.Delay(100);
        return server.Output;
    }

    [GeneratedRegex(@"Demo wall display: (http://\S+/display/demo\?key=\S+)")]
    private static partial Regex DemoScreenUrl();
}
