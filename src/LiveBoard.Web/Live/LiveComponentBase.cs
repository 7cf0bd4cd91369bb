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
    private int _running;
    private volatile bool _dirty;

    /// <summary>When the page last loaded its data.</summary>
    protected DateTimeOffset? LastUpdated { get; private set; }

    protected override async Task OnInitializedAsync()
    {
        await LoadAsync();
        LastUpdated = DateTimeOffset.Now;
    }

    protected override void OnAfterRender(bool firstRender)
    {
        if (firstRender)
            _subscription = Feed.Subscribe(OnChangeAsync);
    }

    /// <summary>Loads (or reloads) everything the page shows.</summary>
    protected abstract Task LoadAsync();

    /// <summary>Whether an event concerns this page. All events by default.</summary>
    protected virtual bool IsRelevant(CampaignEvent change) => true;

    private Task OnChangeAsync(CampaignEvent change)
    {
        if (!IsRelevant(change)) return Task.CompletedTask;
        _dirty = true;
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
            _ = RefreshLoopAsync();
        return Task.CompletedTask;
    }

    private async Task RefreshLoopAsync()
    {
        try
        {
            while (_dirty)
            {
                _dirty = false;
                await InvokeAsync(async () =>
                {
                    await LoadAsync();
                    LastUpdated = DateTimeOffset.Now;
                    StateHasChanged();
                });
            }
        }
        catch (Exception ex)
        {
            await DispatchExceptionAsync(ex);
        }
        finally
        {
            Interlocked.Exchange(ref _running, 0);
            // An event that arrived between the last check and the reset must not be lost.
            if (_dirty && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
                _ = RefreshLoopAsync();
        }
    }

    public virtual void Dispose()
    {
        _subscription?.Dispose();
        _subscription = null;
        GC.SuppressFinalize(this);
    }
}
