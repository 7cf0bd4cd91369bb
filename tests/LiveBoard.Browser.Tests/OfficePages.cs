using System.Globalization;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Meeting;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Features.Reporting;

namespace LiveBoard.Browser.Tests;

/// <summary>The office pages an organiser may open, and a campaign with something in every table and chart.</summary>
public static class OfficePages
{
    public const string Day1 = "2023-07-29";

    /// <summary>Each page with the marker that says it has its data and runs in its circuit.</summary>
    public static readonly (string Name, string Path, string Ready)[] Organiser =
    [
        ("overview", "/", "main .lb-page[data-live=true]"),
        ("report", "/report", "[data-testid=report-page][data-ready=true][data-interactive=true]"),
        ("import", "/import", "[data-testid=import-page][data-ready=true][data-interactive=true]"),
        ("status", "/status", "[data-testid=status-page][data-live=true]"),
        ("itinerary", "/itinerary", "main .lb-page[data-live=true]"),
        ("grades", "/grades", "main .lb-page[data-live=true]"),
        // The chart is drawn once MudChart has measured its box: a first frame without it is not what a reader looks at.
        ("history", "/history", ".lb-history[data-live=true] [data-testid=rank-history] svg circle >> nth=0"),
        ("presenter", $"/meeting/{Day1}", ".lb-presenter[data-live=true]"),
        ("audit", "/audit", "[data-testid=audit-page][data-ready=true]"),
        ("users", "/admin/users", "[data-testid=users-page][data-ready=true]"),
        ("screens", "/admin/screens", "main[data-interactive=true] h1"),
        ("campaigns", "/campaigns", "[data-testid=campaigns-page][data-ready=true][data-interactive=true]"),
        // The demo campaign: the first in a fresh file.
        ("campaign-editor", "/campaigns/1", "[data-testid=campaign-editor][data-ready=true][data-interactive=true]"),
        // Static and scripted (it works offline): an organiser is offered the observers' sign-in.
        ("score", "/score", "[data-testid=score-login]:visible"),
        ("not-found", "/no-such-page", "main[data-interactive=true] [data-testid=not-found]"),
    ];

    /// <summary>
    /// The room screens: <paramref name="screen"/> on each of its panels, and the meeting room of day 1 (in meeting once
    /// the presenter's page has opened the meeting). They are 1920×1080 canvases, scaled to the window.
    /// </summary>
    public static IEnumerable<(string Name, string Path, string Ready)> Walls(ScreenWithKey screen) =>
        PanelIds.All.Select(panel => ($"display-{panel}", $"{screen.RelativeUrl}&panel={panel}",
                $".lb-canvas[data-live=true] [data-testid=display-panel][data-current-panel={panel}]"))
            .Append(("room", $"/meeting/{Day1}/room", ".lb-canvas[data-live=true] [data-testid=display-panel]"));

    /// <summary>
    /// Takes day 1's meeting over (the presenter's page may hold it) and moves it to the ranking; <paramref name="show"/>
    /// false brings it back to its first item and lets it go, as the presenter's page found it.
    /// </summary>
    public static async Task RoomShowsTheRankingAsync(LiveBoardHost host, bool show = true)
    {
        const string session = "language-walk";
        var meeting = host.Service<MeetingService>();
        var day = DateOnly.Parse(Day1, CultureInfo.InvariantCulture);
        var data = (await meeting.LoadAsync(day))!;
        var campaignId = data.City.Campaign.Id;
        var ranking = data.Agenda.First(a => a.Kind == AgendaItemKind.Ranking).Index;
        if (show) await meeting.TakeOverAsync(campaignId, day, DemoAccounts.Organiser, session);
        await meeting.GoAsync(campaignId, day, session, show ? ranking : 0, data.Agenda.Count);
        if (!show) await meeting.ReleaseAsync(campaignId, day, session);
    }

    /// <summary>
    /// A report, two publications (with the demo's bulletin, three columns of history), a correction after the last one
    /// (the ranking's "changed" markers) and a wall screen; returns the screen.
    /// </summary>
    public static async Task<ScreenWithKey> SeedAsync(LiveBoardHost host)
    {
        var publications = host.Service<PublicationService>();
        await publications.PublishAsync(DateOnly.Parse(Day1, CultureInfo.InvariantCulture), "第一天", DemoAccounts.Organiser, Channels.Api);
        await host.Service<FigureService>().ReportAsync(new ReportRequest("hure",
            [new FigureEntry("signed-projects", 150, null, "大项目集中签约")], DemoAccounts.Reporter("hure"), Channels.Api));
        await publications.PublishAsync(DateOnly.Parse("2023-07-30", CultureInfo.InvariantCulture), "第二天", DemoAccounts.Organiser, Channels.Api);
        await host.Service<FigureService>().ReportAsync(new ReportRequest("naiman",
            [new FigureEntry("started-projects", 30, null, "核实新开工")], DemoAccounts.Reporter("naiman"), Channels.Api));
        return await host.Service<DisplayService>().CreateAsync(new NewScreen("会议室大屏", "hall"));
    }
}
