using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Testing;
using Bunit;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Tests.Reporting;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Security;

/// <summary>Refused attempts on the real app, read back from the audit table: one row per address and minute, counted.</summary>
public sealed class RefusalAuditTests : IAsyncLifetime
{
    private readonly AdjustableClock _clock = new();
    private LiveBoardHost Host { get; }
    private Uri Root { get; set; } = default!;

    // Three sign-in attempts a minute per address, so that the fourth is refused by the limiter.
    public RefusalAuditTests() => Host = new(clock: _clock, settings: new() { ["LiveBoard:RateLimits:AuthPerMinute"] = "3" });

    public Task InitializeAsync()
    {
        // A few seconds into a minute, so that the whole burst falls in one minute whenever the test runs.
        var now = DateTimeOffset.UtcNow;
        _clock.Set(new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero).AddSeconds(2));
        Root = Host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Fact]
    public async Task A_burst_of_refusals_from_one_address_is_one_counted_row_a_second_address_another_and_accepted_requests_none()
    {
        // A stranger at 127.0.0.5: no token on the API, a made-up key on the live hub.
        using var stranger = SignedInClients.FromAddress(Root, "127.0.0.5");
        for (var i = 0; i < 12; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/v1/figures")).StatusCode);
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.PostAsync("/hubs/live/negotiate?negotiateVersion=1&access_token=made-up", null)).StatusCode);
        // A login form posted from another site's page: no antiforgery token.
        using (var forged = await stranger.PostAsync("/account/login", new FormUrlEncodedContent(new Dictionary<string, string> { ["userName"] = "leader", ["password"] = "guess" })))
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);

        // A password guesser at 127.0.0.8: three tries a minute, the fourth refused by the sign-in limit.
        using var guesser = SignedInClients.FromAddress(Root, "127.0.0.8");
        for (var i = 0; i < 3; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignedInClients.RequestTokenAsync(guesser, "organiser", "guess-" + i)).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await SignedInClients.RequestTokenAsync(guesser, "organiser", "guess-3")).StatusCode);

        // A reporter at 127.0.0.6: reading all figures is for leaders (403), an organiser's page (access denied), and a
        // live connection from another site's page.
        using var reporter = SignedInClients.FromAddress(Root, "127.0.0.6");
        var token = (await (await SignedInClients.RequestTokenAsync(reporter, "reporter-hure", SignedInClients.DemoPassword(Host)))
            .Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString();
        using (var forbidden = new HttpRequestMessage(HttpMethod.Get, "/api/v1/figures"))
        {
            forbidden.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Forbidden, (await reporter.SendAsync(forbidden)).StatusCode);
        }
        Assert.Equal(HttpStatusCode.Redirect, (await SignedInClients.PostLoginAsync(reporter, "reporter-hure", SignedInClients.DemoPassword(Host))).StatusCode);
        var denied = await reporter.GetAsync("/admin/users");
        Assert.Equal(HttpStatusCode.Redirect, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await reporter.GetAsync(denied.Headers.Location)).StatusCode);
        using (var foreign = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1"))
        {
            foreign.Headers.Add("Origin", "https://evil.example");
            Assert.Equal(HttpStatusCode.Forbidden, (await reporter.SendAsync(foreign)).StatusCode);
        }

        // A leader at 127.0.0.7 does what a leader may: no refusal.
        using var leader = await SignedInClients.ApiAsync(Host, Root, "leader", local: "127.0.0.7");
        Assert.Equal(HttpStatusCode.OK, (await leader.GetAsync("/api/v1/figures")).StatusCode);

        // Nothing is written while the minute runs; once it is over, its rows are.
        Assert.Empty(await RefusalsAsync());
        _clock.Offset += TimeSpan.FromMinutes(1);
        await Eventually.Until(async () => (await RefusalsAsync()).Count >= 3, what: "the finished minute's refusal rows");

        var rows = await RefusalsAsync();
        Assert.Equal(["127.0.0.5", "127.0.0.6", "127.0.0.8"], rows.Select(r => r.RemoteAddress).Order());
        var strangerRow = Detail(rows.Single(r => r.RemoteAddress == "127.0.0.5"));
        Assert.Equal(16, strangerRow.GetProperty("count").GetInt32());
        Assert.Equal(15, strangerRow.GetProperty("reasons").GetProperty(RefusalReasons.Unauthenticated).GetInt32());
        Assert.Equal(1, strangerRow.GetProperty("reasons").GetProperty(RefusalReasons.Antiforgery).GetInt32());
        Assert.Equal(["/api/v1/figures", "/hubs/live/negotiate", "/account/login"], strangerRow.GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        // No one was signed in: the account is the name the forged form gave.
        Assert.Equal("leader", rows.Single(r => r.RemoteAddress == "127.0.0.5").UserName);

        var guesserRow = Detail(rows.Single(r => r.RemoteAddress == "127.0.0.8"));
        Assert.Equal(1, guesserRow.GetProperty("count").GetInt32());
        Assert.Equal(1, guesserRow.GetProperty("reasons").GetProperty(RefusalReasons.RateLimited).GetInt32());

        var reporterRow = rows.Single(r => r.RemoteAddress == "127.0.0.6");
        var reporterDetail = Detail(reporterRow);
        Assert.Equal(3, reporterDetail.GetProperty("count").GetInt32());
        var reasons = reporterDetail.GetProperty("reasons");
        Assert.Equal(1, reasons.GetProperty(RefusalReasons.Forbidden).GetInt32());
        Assert.Equal(1, reasons.GetProperty(RefusalReasons.PageDenied).GetInt32());
        Assert.Equal(1, reasons.GetProperty(RefusalReasons.ForeignOrigin).GetInt32());
        Assert.Contains("/admin/users", reporterDetail.GetProperty("paths").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("reporter-hure", reporterRow.UserName);

        // The organiser finds them on /audit, narrowed to the stranger's address.
        await using var ctx = new ReportPageHarness(Host, "organiser", Roles.Organiser);
        var cut = ctx.Render<AuditPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=audit-page]").GetAttribute("data-ready")));
        cut.Find("input[data-testid=filter-address], [data-testid=filter-address] input").Change("127.0.0.5");
        cut.Find("[data-testid=audit-apply]").Click();
        cut.WaitForAssertion(() => Assert.Equal(AuditKinds.Refused, Assert.Single(cut.FindAll("[data-testid=audit-event]")).GetAttribute("data-kind")));
        Assert.Contains("请求被拒绝", cut.Find("[data-testid=audit-event]").TextContent);
        Assert.Contains("address=127.0.0.5", cut.Find("[data-testid=audit-export]").GetAttribute("href"));
    }

    private static JsonElement Detail(AuditEvent row) => JsonDocument.Parse(row.Detail).RootElement;

    private async Task<List<AuditEvent>> RefusalsAsync()
    {
        await using var db = await Host.Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        return await db.AuditEvents.AsNoTracking().Where(e => e.Kind == AuditKinds.Refused).ToListAsync();
    }
}
