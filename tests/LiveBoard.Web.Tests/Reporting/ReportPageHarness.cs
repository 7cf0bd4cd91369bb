using System.Globalization;
using System.Security.Claims;
using Bunit;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Reporting;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>
/// bUnit renders a reporting or admin page (report, status, audit, users) as a signed-in user, over the services of a running <see cref="LiveBoardHost"/>,
/// so what the page writes lands in the host's SQLite file through the host's one FigureService.
/// </summary>
public sealed class ReportPageHarness : BunitContext
{
    public ReportPageHarness(LiveBoardHost host, string user, string role, string? district = null, string culture = "zh-CN")
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo(culture);
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddSingleton(host.Service<CampaignStore>());
        Services.AddSingleton(host.Service<FigureService>());
        Services.AddSingleton(host.Service<FigureImport>());
        Services.AddSingleton(host.Service<LiveBoard.Web.Data.CampaignClock>());
        Services.AddSingleton(host.Service<ReportingStatus>());
        Services.AddSingleton(host.Service<LiveStandings>());
        Services.AddSingleton(host.Service<LiveBoard.Web.Live.IChangeFeed>());
        Services.AddSingleton(host.Service<TimeProvider>());
        Services.AddSingleton(host.Service<LiveBoard.Web.Features.Admin.AuditQuery>());
        Services.AddSingleton(host.Service<LiveBoard.Web.Features.Admin.UserAdmin>());
        Services.AddSingleton(host.Service<ActiveAccounts>());
        Services.AddSingleton(host.Service<AuditLog>());
        Services.AddScoped<WriteAccess>();
        Services.AddScoped(_ => new ClientAddress { Value = Address });
        var auth = AddAuthorization();
        auth.SetAuthorized(user);
        auth.SetRoles(role);
        // The account's id and security stamp, as the real sign-in puts them in the principal: writes ask for them again.
        var claims = SignedInClaims(host, user).ToList();
        if (district is not null) claims.Add(new Claim(LiveBoardClaims.District, district));
        auth.SetClaims([.. claims]);
        // As in the app: an interactive Server circuit. (Touching the renderer freezes the services, so this comes last.)
        Renderer.SetRendererInfo(new RendererInfo("Server", isInteractive: true));
    }

    /// <summary>The page's client address (a documentation address: no real client has it).</summary>
    public const string Address = "192.0.2.10";

    private static List<Claim> SignedInClaims(LiveBoardHost host, string user)
    {
        using var scope = host.Services.CreateScope();
        var signIn = scope.ServiceProvider.GetRequiredService<Microsoft.AspNetCore.Identity.SignInManager<LiveBoardUser>>();
        var account = signIn.UserManager.FindByNameAsync(user).GetAwaiter().GetResult();
        if (account is null) return [];
        var principal = signIn.CreateUserPrincipalAsync(account).GetAwaiter().GetResult();
        var identity = scope.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Identity.IdentityOptions>>().Value.ClaimsIdentity;
        return principal.Claims.Where(c => c.Type == identity.UserIdClaimType || c.Type == identity.SecurityStampClaimType).ToList();
    }

    public IRenderedComponent<ReportPage> OpenReport(string? query = null)
    {
        Services.GetRequiredService<NavigationManager>().NavigateTo("/report" + query);
        var cut = Render<ReportPage>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("[data-testid=report-page]").GetAttribute("data-ready")), ReportPageActions.WriteWait);
        return cut;
    }
}

public static class ReportPageActions
{
    /// <summary>
    /// How long a page may take to answer a click that writes. bUnit's default (1 s) is shorter than a first write on
    /// PostgreSQL takes on a busy 2-core machine (a new connection, the write transaction, the page's reload): the check
    /// then runs once and never again, since the page renders only when the write has finished.
    /// </summary>
    public static readonly TimeSpan WriteWait = TimeSpan.FromSeconds(10);

    public static string Entry(string indicator) => $"[data-testid=entry][data-indicator={indicator}]";

    /// <summary>
    /// Types into a card and waits until the page shows what was typed, as a reporter sees it before going on. bUnit's
    /// <c>Input</c> only queues the event when the renderer is still busy: on PostgreSQL the page's load finishes on another
    /// thread (Npgsql is truly asynchronous, SQLite answers at once), so the reason field, which appears once a value is
    /// typed, could be looked for before the value had reached the page.
    /// </summary>
    public static void Type(this IRenderedComponent<ReportPage> cut, string indicator, string value, string? reason = null)
    {
        TypeInto(cut, $"{Entry(indicator)} [data-testid=entry-value] input", value);
        if (reason is not null) TypeInto(cut, $"{Entry(indicator)} [data-testid=entry-reason] input", reason);
    }

    private static void TypeInto(IRenderedComponent<ReportPage> cut, string input, string text)
    {
        cut.WaitForElement(input, WriteWait).Input(text);
        cut.WaitForAssertion(() => Assert.Equal(text, cut.Find(input).GetAttribute("value")), WriteWait);
    }

    public static void Submit(this IRenderedComponent<ReportPage> cut) => cut.Find("[data-testid=report-submit]").Click();

    public static string Accepted(this IRenderedComponent<ReportPage> cut)
    {
        string text = "";
        try
        {
            cut.WaitForAssertion(() => text = cut.Find("[data-testid=report-accepted]").TextContent.Trim(), WriteWait);
        }
        catch (Bunit.Extensions.WaitForHelpers.WaitForFailedException) when (cut.FindAll("[data-testid=report-refused]") is { Count: > 0 } refused)
        {
            // What the reporter sees instead says why.
            Assert.Fail("refused: " + refused[0].TextContent.Trim());
        }

        return text;
    }
}
