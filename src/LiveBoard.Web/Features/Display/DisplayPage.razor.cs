using System.Globalization;
using System.Text.Json;
using LiveBoard.Core.Meeting;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Standings;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;

namespace LiveBoard.Web.Features.Display;

/// <summary>
/// A wall display (/display/{slug}?key=…): the screen's panels on a fixed 1920×1080 canvas, rotating through its playlist,
/// following the standings room's snapshots and the organiser's remote commands, and reporting itself to the fleet page.
/// </summary>
public partial class DisplayPage : StandingsComponentBase
{
    [Inject] private DisplayService Displays { get; set; } = default!;
    [Inject] private IConfiguration Configuration { get; set; } = default!;
    [Inject] private CampaignClock CampaignTime { get; set; } = default!;
    [Inject] private ScreenFleet Fleet { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private ILogger<DisplayPage> Log { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;
    [Inject] private TimeProvider Clock { get; set; } = default!;
    [Inject] private MeetingService Meeting { get; set; } = default!;
    [Inject] private PublicationService Publications { get; set; } = default!;
    [Inject] private DisplayCircuit Circuit { get; set; } = default!;

    /// <summary>The screen's slug from the address. Defaults to "".</summary>
    [Parameter] public string Slug { get; set; } = "";

    /// <summary>The display key from ?key=…; it opens this screen only. Defaults to null: no screen opens.</summary>
    [SupplyParameterFromQuery(Name = "key")] public string? Key { get; set; }

    /// <summary>
    /// The key this page was opened with: from ?key=… or, once the script has taken it out of the address, from the screen's
    /// cookie, read when the page is first rendered on the server and carried into the circuit (protected, like all
    /// prerendered state). Defaults to null.
    /// </summary>
    [PersistentState] public string? OpenedWith { get; set; }

    /// <summary>The page request while it is rendered on the server (null in the circuit).</summary>
    [CascadingParameter] private HttpContext? HttpContext { get; set; }

    /// <summary>?panel=… pins one panel for this page load (set-up and screenshots), overriding the playlist. Defaults to null.</summary>
    [SupplyParameterFromQuery(Name = "panel")] public string? PanelOverride { get; set; }

    private Screen? _screen;
    private int _index;
    private ITimer? _rotation;
    private ITimer? _heartbeat;
    private string? _commandPanel;
    // When data last loaded successfully: "updated hh:mm:ss" must not advance on a failed reload.
    private DateTimeOffset _loadedAt = DateTimeOffset.Now;
    private readonly string _pageId = Guid.NewGuid().ToString("N");
    // Meeting mode: the followed meeting's state and what its items show, while it runs.
    private MeetingState? _meeting;
    private MeetingData? _meetingData;
    // The rank history, read only by a screen that shows it (a query per new publication, not per figure for every wall).
    private RankHistory? _history;

    /// <summary>The agenda item on screen: set while the screen is in meeting mode and its meeting runs; else the playlist plays.</summary>
    private AgendaItem? MeetingItem => _meeting is { Active: true } m && _meetingData is { Agenda.Count: > 0 } data
        ? data.Agenda[Math.Clamp(m.Index, 0, data.Agenda.Count - 1)]
        : null;

    private int StaleAfterSeconds => Configuration.GetValue("LiveBoard:Display:StaleAfterSeconds", 60);

    private IReadOnlyList<string> Playlist => _screen is { Playlist.Count: > 0 } s ? s.Playlist : PanelIds.All;

    // An organiser's remote switch wins; then ?panel=; then the screen's pinned panel; else the playlist rotates.
    private string Current =>
        MeetingItem is not null ? PanelIds.Meeting
        : _commandPanel is { } commanded ? commanded
        : PanelOverride is { } p && PanelIds.IsKnown(p) ? p
        : _screen?.PinnedPanel is { } pinned ? pinned
        : Playlist[_index % Playlist.Count];

    protected override async Task LoadAsync()
    {
        try
        {
            // The key is checked on opening and again on every change of this screen's access (ScreenAccessChanged,
            // published after each rotation or revocation), so a revoked key takes the screen down at once. Data
            // changes do not reload the page: the standings room hands every screen the same snapshot.
            OpenedWith = Key ?? OpenedWith ?? HttpContext?.Request.Cookies[DisplayService.ScreenCookie];
            _screen = await Displays.AuthoriseAsync(Slug, OpenedWith);
            if (_screen is not null) await base.LoadAsync();
            await LoadMeetingAsync();
        }
        catch (Exception ex) when (Standings is not null && ex is not OperationCanceledException)
        {
            // A wall display keeps its last good state through a failed reload (a locked database file, say)
            // instead of ending its circuit; the next change or the stale-data banner takes it from there.
            LogReloadFailed(Log, ex, Slug);
        }
    }

    protected override async Task OnStandingsChangedAsync()
    {
        _loadedAt = DateTimeOffset.Now;
        // The meeting's items show the standings too: a correction during the meeting reaches the wall.
        if (_meeting is { Active: true }) await LoadMeetingAsync();
        if (Playlist.Contains(PanelIds.History) || Current == PanelIds.History) await LoadHistoryAsync();
    }

    private async Task LoadHistoryAsync()
    {
        // Publications change the history, figures do not: it is read again only when the latest publication is another,
        // once for every screen.
        if (Standings is not { } standings) return;
        _history = await Publications.SharedHistoryAsync(PublicationService.HistoryKey.Of(standings.City));
    }

    private async Task LoadMeetingAsync()
    {
        if (_screen?.MeetingDay is not { } day)
        {
            (_meeting, _meetingData) = (null, null);
            return;
        }
        _meeting = Meeting.Get(day);
        _meetingData = _meeting.Active ? await Meeting.LoadAsync(day) : null;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        base.OnAfterRender(firstRender);
        if (!firstRender || _screen is null) return;
        // A page showing one panel (?panel=, or a pinned screen) has nothing to rotate: no timer, no re-render.
        var rotates = !(PanelOverride is { } p && PanelIds.IsKnown(p)) && _screen.PinnedPanel is null;
        if (rotates)
        {
            var interval = TimeSpan.FromSeconds(Math.Max(5, _screen.IntervalSeconds));
            _rotation = Clock.CreateTimer(_ => _ = InvokeAsync(() =>
            {
                _index = (_index + 1) % Math.Max(1, Playlist.Count);
                StateHasChanged();
            }), null, interval, interval);
        }
        _heartbeat = Clock.CreateTimer(_ => _ = InvokeAsync(BeatAsync), null, TimeSpan.Zero, Fleet.HeartbeatInterval);
        Circuit.ConnectionChanged += OnConnectionChanged;
    }

    /// <summary>Tells the fleet page this screen is open, what it shows and how big the window is.</summary>
    private async Task BeatAsync()
    {
        // A page whose browser has gone is offline at once, though its circuit waits on the server for it to come back.
        if (_screen is null || !Circuit.Connected) { Fleet.Leave(_pageId); return; }
        // The size comes as "1920x1080": each type a circuit reads through JS interop gets JSON metadata of its own in that
        // circuit, and Blazor reads strings anyway (an int[] cost every wall ~3 KB more, heap dumps in BENCHMARKS.md).
        string? size = null;
        try { size = await JS.InvokeAsync<string?>("lbDisplay.size"); }
        catch (Exception e) when (e is JSException or JsonException) { } // an older cached script: report the page without a size
        catch (JSDisconnectedException) { return; }
        var (width, height) = WindowSize(size);
        Fleet.Beat(_pageId, Slug, Current, width, height);
        StateHasChanged(); // also moves time-based text on (the reporting countdown) without touching the database
    }

    /// <summary>"1920x1080" as width and height; (0, 0) for anything else.</summary>
    internal static (int Width, int Height) WindowSize(string? size) =>
        size?.Split('x') is [var w, var h] && int.TryParse(w, CultureInfo.InvariantCulture, out var width)
            && int.TryParse(h, CultureInfo.InvariantCulture, out var height) ? (width, height) : (0, 0);

    // Data changes arrive as shared snapshots (the standings room); from the feed this page needs only its own access changes (to
    // re-check its key) and commands, which it handles here instead of reloading.
    protected override bool IsRelevant(LiveBoard.Core.CampaignEvent change)
    {
        if (change is ScreenAccessChanged access) return access.Slug == Slug;
        // A step of the followed meeting is shown at once, without re-reading the screen: the room waits for it.
        if (change is MeetingChanged step)
        {
            if (_screen?.MeetingDay == step.Day)
                _ = InvokeInCircuitCultureAsync(async () =>
                {
                    await LoadMeetingAsync();
                    StateHasChanged();
                });
            return false;
        }
        if (change is not ScreenCommand command) return false;
        if (command.Slug == Slug && _screen is not null)
            _ = InvokeInCircuitCultureAsync(async () =>
            {
                if (command.Command == ScreenCommand.Reload)
                    await JS.InvokeVoidAsync("lbDisplay.reload");
                else if (command.Panel is { } panel && PanelIds.IsKnown(panel))
                {
                    if (panel == PanelIds.History) await LoadHistoryAsync();
                    _commandPanel = panel;
                    StateHasChanged();
                    await BeatAsync();
                }
            });
        return false;
    }

    private void OnConnectionChanged(bool connected) => _ = InvokeAsync(BeatAsync);

    public override void Dispose()
    {
        Circuit.ConnectionChanged -= OnConnectionChanged;
        _rotation?.Dispose();
        _heartbeat?.Dispose();
        Fleet.Leave(_pageId);
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Display {Screen} could not reload; keeping the last good state")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception, string screen);
}
