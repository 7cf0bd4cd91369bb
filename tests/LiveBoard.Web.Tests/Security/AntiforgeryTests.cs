using System.Net;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Security;

/// <summary>Form posts without this site's token: refused with the form's page and a message, audited, nothing done.
/// The refusals are counted per address and minute and only written when the minute ends: each test stops the app
/// before it reads the audit, so what it finds is what a stopping server flushed.</summary>
public sealed class AntiforgeryTests : IAsyncLifetime
{
    // Production: the form's refusal must not depend on the developer exception page.
    private LiveBoardHost Host { get; } = new(environment: "Production");
    private Uri Root { get; set; } = default!;

    public Task InitializeAsync()
    {
        Root = Host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    [Fact]
    public async Task A_login_post_with_a_missing_or_foreign_token_gets_400_with_the_login_page_and_signs_nobody_in()
    {
        using var other = SignedInClients.Anonymous(Root);
        var foreignPage = await other.GetStringAsync("/account/login");
        var foreign = WebUtility.HtmlDecode(System.Text.RegularExpressions.Regex.Match(foreignPage, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value);
        foreach (var token in new string?[] { null, foreign, "garbage" })
        {
            using var client = SignedInClients.Anonymous(Root);
            var form = new Dictionary<string, string> { ["userName"] = "reporter-hure", ["password"] = SignedInClients.DemoPassword(Host), ["returnUrl"] = "/report" };
            if (token is not null) form["__RequestVerificationToken"] = token;
            using var response = await client.PostAsync("/account/login", new FormUrlEncodedContent(form));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            // The renderer writes Chinese as character references: read the page as a browser shows it.
            var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
            Assert.Contains("data-testid=\"login-form\"", html);
            Assert.Contains("表单已过期或来源不明", html);
            // Not signed in: the reporting page still sends this client to the login page.
            using var report = await client.GetAsync("/report");
            Assert.Equal(HttpStatusCode.Redirect, report.StatusCode);
        }
        await Host.DisposeAsync();
        await using var db = Host.OpenDatabase();
        var refused = await RefusalTotals.ForAsync(db, "127.0.0.1");
        Assert.Equal(3, refused.Of(RefusalReasons.Antiforgery));
        Assert.Equal(["/account/login"], refused.Paths);
        Assert.Equal(["reporter-hure"], refused.Accounts);
        Assert.Equal(0, await db.AuditEvents.CountAsync(a => a.Kind == AuditKinds.LoginSucceeded));
    }

    [Fact]
    public async Task Logout_without_the_token_is_refused_and_the_session_stays()
    {
        using var client = await SignedInClients.WebAsync(Host, Root, "reporter-hure");
        using var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>()));
        Assert.Equal(HttpStatusCode.BadRequest, logout.StatusCode);
        using var report = await client.GetAsync("/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        await Host.DisposeAsync();
        await using var db = Host.OpenDatabase();
        Assert.Equal(0, await db.AuditEvents.CountAsync(a => a.Kind == AuditKinds.Logout));
        var refused = await RefusalTotals.ForAsync(db, "127.0.0.1");
        Assert.Equal(1, refused.Of(RefusalReasons.Antiforgery));
        Assert.Equal(["/account/logout"], refused.Paths);
        Assert.Equal(["reporter-hure"], refused.Accounts);
    }
}
