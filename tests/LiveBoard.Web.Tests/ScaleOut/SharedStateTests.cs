using LiveBoard.Testing;
using LiveBoard.Web.Features.Meeting;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.ScaleOut;

/// <summary>State that must outlive an instance lives in the database, on either engine.</summary>
public sealed class SharedStateTests
{
    [Fact]
    public async Task A_meeting_goes_on_at_the_same_item_with_the_same_presenter_after_a_restart()
    {
        var day = new DateOnly(2023, 7, 30);
        string database;
        await using (var before = new LiveBoardHost())
        {
            before.Start();
            database = before.DatabasePath;
            var meeting = before.Service<MeetingService>();
            var campaign = (await before.Service<LiveStandings>().CurrentAsync())!.City.Campaign.Id;
            await meeting.OpenAsync(campaign, day, "organiser", "clicker");
            await meeting.GoAsync(campaign, day, "clicker", 4, 10);
        }

        await using var after = new LiveBoardHost(database);
        after.Start();
        var state = after.Service<MeetingService>().Get(day);
        Assert.Equal((true, 4, "organiser", "clicker"), (state.Active, state.Index, state.Presenter, state.PresenterSession));
    }

    [Fact]
    public async Task The_keys_that_sign_cookies_are_in_the_database_and_a_cookie_outlives_a_restart()
    {
        string database;
        HttpClient browser;
        await using (var before = new LiveBoardHost())
        {
            var root = before.Start();
            database = before.DatabasePath;
            browser = await SignedInClients.WebAsync(before, root, "organiser");
            // In the database, not in the account's home folder: another machine's instance reads the same keys.
            await using var db = await before.DbAsync();
            Assert.Contains(db.DataProtectionKeys, k => k.Xml!.Contains("<key id=", StringComparison.Ordinal));
        }

        // The same port is not needed: the cookie names the host, and the keys that signed it are in the database.
        await using var after = new LiveBoardHost(database);
        var again = after.Start();
        using (browser)
            Assert.Equal(System.Net.HttpStatusCode.OK, (await browser.GetAsync(new Uri(again, "/admin/users"))).StatusCode);
    }
}
