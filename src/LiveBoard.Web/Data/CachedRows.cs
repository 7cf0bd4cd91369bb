using System.Data.Common;
using System.Runtime.CompilerServices;
using LiveBoard.Core.Campaigns;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace LiveBoard.Web.Data;

/// <summary>
/// A counter that moves whenever the rows behind an in-process cache may have changed. A cached copy is good while
/// the counter still reads what it read when loading began; a copy loaded while it moved is used once, never kept.
/// </summary>
public sealed class RowsGeneration(string name)
{
    private long _value;

    /// <summary>The rows' name, as other instances are told of a change.</summary>
    public string Name { get; } = name;

    public long Current => Interlocked.Read(ref _value);

    /// <summary>Raised when a save on this instance moved the counter, so that other instances can be told.</summary>
    public event Action<RowsGeneration>? Bumped;

    public void Bump()
    {
        Interlocked.Increment(ref _value);
        Bumped?.Invoke(this);
    }

    /// <summary>Another instance saved these rows: the counter moves, and nobody is told again.</summary>
    public void BumpFromElsewhere() => Interlocked.Increment(ref _value);
}

/// <summary>The rows LiveBoard copies into memory because every write request reads them (see <see cref="CachedRowsInterceptor"/>).</summary>
public sealed class CachedRows
{
    /// <summary>Campaigns, districts and indicators: what a figure write is checked against.</summary>
    public RowsGeneration CampaignSetup { get; } = new(nameof(CampaignSetup));

    /// <summary>Accounts: disabled or not, and their security stamp, checked on every request.</summary>
    public RowsGeneration Accounts { get; } = new(nameof(Accounts));

    public IReadOnlyList<RowsGeneration> All => [CampaignSetup, Accounts];
}

/// <summary>
/// Part of every LiveBoard DbContext: whatever saves a campaign, district, indicator or account (set-up, seeding,
/// Identity's UserManager, a test), the caches of <see cref="CachedRows"/> drop their copy at once. The counter moves
/// before the save, after it, and again when the surrounding transaction ends, because a copy loaded between the
/// save and the commit still saw the old rows.
/// </summary>
public sealed class CachedRowsInterceptor(CachedRows rows) : ISaveChangesInterceptor, IDbTransactionInterceptor
{
    // What each context's last save touched, for the bumps after it and after its transaction.
    private readonly ConditionalWeakTable<DbContext, RowsGeneration[]> _touched = new();

    private void Saving(DbContext? context)
    {
        if (context is null) return;
        var touched = new List<RowsGeneration>(2);
        foreach (var entry in context.ChangeTracker.Entries())
        {
            if (entry.State is not (EntityState.Added or EntityState.Modified or EntityState.Deleted)) continue;
            var generation = entry.Entity switch
            {
                Campaign or District or Indicator => rows.CampaignSetup,
                LiveBoardUser => rows.Accounts,
                _ => null,
            };
            if (generation is not null && !touched.Contains(generation)) touched.Add(generation);
        }
        if (touched.Count == 0) return;
        foreach (var g in touched) g.Bump();
        _touched.AddOrUpdate(context, [.. touched]);
    }

    private void Saved(DbContext? context)
    {
        if (context is null || !_touched.TryGetValue(context, out var touched)) return;
        foreach (var g in touched) g.Bump();
        // Outside a transaction the save was its own commit; inside one, the end of the transaction bumps once more.
        if (context.Database.CurrentTransaction is null) _touched.Remove(context);
    }

    private void TransactionEnded(DbContext? context)
    {
        if (context is null || !_touched.TryGetValue(context, out var touched)) return;
        foreach (var g in touched) g.Bump();
        _touched.Remove(context);
    }

    public InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Saving(eventData.Context);
        return result;
    }

    public ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result,
        CancellationToken cancellationToken = default)
    {
        Saving(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        Saved(eventData.Context);
        return result;
    }

    public ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return ValueTask.FromResult(result);
    }

    public void SaveChangesFailed(DbContextErrorEventData eventData) => Saved(eventData.Context);

    public Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Saved(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => TransactionEnded(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionEnded(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => TransactionEnded(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        TransactionEnded(eventData.Context);
        return Task.CompletedTask;
    }
}
