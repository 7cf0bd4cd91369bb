using System.Reflection;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using Microsoft.AspNetCore.Components;
using Microsoft.Playwright;

namespace LiveBoard.Browser.Tests;

/// <summary>
/// Every page of the app, listed from its own routes, opened in Chromium with the Content-Security-Policy on: a single
/// violation (a script, style, font, image or connection the policy refuses) fails the test, so the policy can neither
/// break a page unnoticed nor be loosened by a page that needs more.
/// </summary>
[Collection(WalkingBrowser.Name)]
public sealed class CspBrowserTests(BrowserFixture browser)
{
    private const string Day1 = "2023-07-29";

    [Fact]
    public async Task Every_page_runs_under_the_content_security_policy_without_a_violation()
    {
        await using var host = new LiveBoardHost(settings: new() { [CampaignClock.Setting] = Day1 });
        var root = host.Start();
        var screen = await host.Service<DisplayService>().CreateAsync(new NewScreen("北门大屏", "north-gate"));
        var routes = typeof(Program).Assembly.GetTypes()
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))
            .Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.True(routes.Count >= 15, $"only {routes.Count} routes found");

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = root.ToString() });
        // Both ways a violation shows: the console message and the DOM event (the init script runs outside the policy).
        await context.AddInitScriptAsync("""
            window.__csp = [];
            document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
            """);
        var violations = new List<string>();
        var page = await context.NewPageAsync();
        var current = "";
        page.Console += (_, message) =>
        {
            if (message.Text.Contains("Content Security Policy", StringComparison.OrdinalIgnoreCase)) violations.Add($"{current}: {message.Text}");
        };
        await page.GotoAsync("/account/login");
        await SignIn.WithFormAsync(page, DemoAccounts.Organiser, SignedInClients.DemoPassword(host));
        await page.WaitForURLAsync(u => !u.Contains("/account/login", StringComparison.Ordinal));

        foreach (var route in routes)
        {
            current = route switch
            {
                "/display/{Slug}" => screen.RelativeUrl,
                _ => route.Replace("{Day}", Day1, StringComparison.Ordinal),
            };
            await page.GotoAsync(current);
            // The page, its scripts, the negotiate request and the circuit's first renders: all of it settles into no traffic.
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle, new() { Timeout = 30_000 });
            foreach (var v in await page.EvaluateAsync<string[]>("() => window.__csp")) violations.Add($"{current}: {v}");
        }
        Assert.True(violations.Count == 0, "CSP violations:\n" + string.Join("\n", violations));
    }
}
