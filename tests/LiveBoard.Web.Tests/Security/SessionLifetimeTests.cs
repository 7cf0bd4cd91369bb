using System.Net;
using LiveBoard.Testing;

namespace LiveBoard.Web.Tests.Security;

/// <summary>A busy browser session still ends LiveBoard:AbsoluteSessionHours after the password was given.</summary>
public sealed class SessionLifetimeTests
{
    [Fact]
    public async Task A_session_kept_busy_ends_at_the_absolute_lifetime_however_recent_its_last_request()
    {
        var clock = new AdjustableClock();
        await using var host = new LiveBoardHost(clock: clock, settings: new()
        {
            ["LiveBoard:IdleTimeoutMinutes"] = "600", ["LiveBoard:AbsoluteSessionHours"] = "1",
        });
        var root = host.Start();
        using var client = await SignedInClients.WebAsync(host, root, "leader");
        // Busy: a request every 20 minutes keeps the sliding idle timeout far away.
        for (var i = 0; i < 2; i++)
        {
            using var busy = await client.GetAsync("/status");
            Assert.Equal(HttpStatusCode.OK, busy.StatusCode);
            clock.Offset += TimeSpan.FromMinutes(20);
        }
        using var stillIn = await client.GetAsync("/status");
        Assert.Equal(HttpStatusCode.OK, stillIn.StatusCode);

        clock.Offset += TimeSpan.FromMinutes(21); // 61 minutes after sign-in, 21 after the last request
        using var after = await client.GetAsync("/status");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery);
    }
}
