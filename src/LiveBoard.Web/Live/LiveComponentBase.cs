using System.Globalization;
using LiveBoard.Core;
using Microsoft.AspNetCore.Components;

namespace LiveBoard.Web.Live;

/// <summary>
/// A page that follows the change feed: it subscribes after its first interactive render, reloads its data
/// when a relevant event arrives and unsubscribes when disposed. A burst of events costs at most one reload
/// in flight plus one queued, so a busy evening never queues hundreds of reloads per screen.
/// </summary>
public abstract class LiveComponentBase : ComponentBase, IDisposable
{
    [Inject] private IChangeFeed Feed { get; set; } = default!;

    private IDisposable? _subscription;

    /// <summary>True once the page is interactive and following the feed (rendered as data-live for tests and screens).</summary>
    protected bool IsLive { get; private set; }
    private Coalescer? _refresh;

    /// <summary>When the page last loaded its data.</summary>
    protected DateTimeOffset? LastUpdated { get; set; }

    // The culture of the circuit. Events arrive on the writer's thread, whose culture would otherwise flow
    // into the re-render: an English reporter's change must not turn a Chinese screen English.
    private CultureInfo _culture = CultureInfo.CurrentCulture;
    private CultureInfo _uiCulture = CultureInfo.CurrentUICulture;

    protected override async Task OnInitializedAsync()
    {
        _culture = CultureInfo.CurrentCulture;
        _uiCulture = CultureInfo.CurrentUICulture;
        await LoadAsync();
        LastUpdated = DateTimeOffset.Now;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (!firstRender) return;
        _refresh = new Coalescer(() => InvokeInCircuitCultureAsync(async () =>
        {
            await LoadAsync();
            LastUpdated = DateTimeOffset.Now;
            StateHasChanged();
        }), DispatchExceptionAsync);
        _subscription = Feed.Subscribe(OnChangeAsync);
        IsLive = true;
        // Changes that landed between the first load and the subscription would otherwise be missed.
        _ = OnChangeAsync(null);
    }

    /// <summary>Loads (or reloads) everything the page shows.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Whether an event concerns this page. All events by default.</summary>
    protected virtual bool IsRelevant(CampaignEvent change) => true;

    private Task OnChangeAsync(CampaignEvent? change)
    {
        // After a resync every page reloads: whatever it follows may have changed unseen.
        if (change is not null and not FeedResynced && !IsRelevant(change)) return Task.CompletedTask;
        _refresh?.Request();
        return Task.CompletedTask;
    }

    /// <summary>
    /// Runs <paramref name="work"/> on the renderer in the circuit's culture. Use it for anything started by an
    /// event from the feed, which arrives on the writer's thread and in the writer's culture.
    /// </summary>
    protected Task InvokeInCircuitCultureAsync(Func<Task> work) => InvokeAsync(async () =>
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
        await work();
    });

    public virtual void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
        GC.SuppressFinalize(this);
    }
}
