using LiveBoard.Core;
using LiveBoard.Web.Live;
using Microsoft.AspNetCore.Components;

namespace LiveBoard.Web.Standings;

/// <summary>
/// A page that shows the standings. It reads the current snapshot when it loads, then follows the standings room: each
/// new snapshot arrives once, already computed, and the page re-renders in its circuit's culture. Feed events do not
/// reload it (override <see cref="LiveComponentBase.IsRelevant"/> for events it must act on, such as meeting steps).
/// </summary>
public abstract class StandingsComponentBase : LiveComponentBase
{
    [Inject] private LiveStandings Room { get; set; } = default!;

    private IDisposable? _following;

    /// <summary>The snapshot shown; null before the first load and when there is no campaign. Shared: never change it.</summary>
    protected StandingsSnapshot? Standings { get; private set; }

    protected override async Task LoadAsync()
    {
        var snapshot = await Room.CurrentAsync();
        if (snapshot is null ? Standings is not null : Take(snapshot))
        {
            if (snapshot is null) Standings = null;
            await OnStandingsChangedAsync();
        }
    }

    /// <summary>Whatever the page derives from <see cref="Standings"/> (or loads beside it), after each new snapshot.</summary>
    protected virtual Task OnStandingsChangedAsync() => Task.CompletedTask;

    protected override bool IsRelevant(CampaignEvent change) => false;

    protected override void OnAfterRender(bool firstRender)
    {
        base.OnAfterRender(firstRender);
        if (firstRender) _following = Room.Follow(OnSnapshotAsync);
    }

    private Task OnSnapshotAsync(StandingsSnapshot snapshot) => InvokeInCircuitCultureAsync(async () =>
    {
        if (!Take(snapshot)) return;
        await OnStandingsChangedAsync();
        LastUpdated = DateTimeOffset.Now;
        StateHasChanged();
    });

    // Newer snapshots only: a load that finishes after a newer snapshot arrived must not take the page back.
    private bool Take(StandingsSnapshot snapshot)
    {
        if (ReferenceEquals(snapshot, Standings) || (Standings is not null && snapshot.Version < Standings.Version)) return false;
        Standings = snapshot;
        return true;
    }

    public override void Dispose()
    {
        _following?.Dispose();
        _following = null;
        base.Dispose();
        GC.SuppressFinalize(this);
    }
}
