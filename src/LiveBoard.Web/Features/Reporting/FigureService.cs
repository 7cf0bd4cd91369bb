using System.Diagnostics;
using System.Threading.Channels;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using LiveBoard.Web.Diagnostics;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace LiveBoard.Web.Features.Reporting;

/// <summary>One value in a report. <see cref="ExpectedVersion"/> is the version the reporter started from.</summary>
public sealed record FigureEntry(string IndicatorCode, decimal Value, int? ExpectedVersion = null, string? Reason = null);

/// <summary>
/// A district's submission of one or more values: accepted or refused as a whole. <see cref="RequestId"/> ties the
/// revisions to the request; <see cref="Idempotency"/> (API) makes a retry return the first answer and write nothing.
/// <see cref="ClientAddress"/> is where the report came from, kept on each revision.
/// </summary>
public sealed record ReportRequest(string DistrictCode, IReadOnlyList<FigureEntry> Values, string Author, string Channel,
    string? RequestId = null, Idempotency? Idempotency = null, string? ClientAddress = null);

/// <summary>Why a value was refused; <see cref="District"/> is set when several districts were reported at once (import).</summary>
public sealed record FieldError(string Field, FigureError Error, string? District = null);

/// <summary>The figure someone else changed first: what it is now, and who made it so.</summary>
public sealed record VersionConflict(string IndicatorCode, int ExpectedVersion, int CurrentVersion, decimal CurrentValue, string CurrentAuthor, DateTimeOffset ChangedAt,
    string? District = null);

/// <summary>What an accepted report did, value by value: the answer the API returns and replays.</summary>
public sealed record ReportReceipt(string RequestId, string District, DateTimeOffset At, string Author, IReadOnlyList<ReceiptLine> Values);

public sealed record ReceiptLine(string Indicator, decimal? OldValue, decimal Value, int Version, bool Changed, bool Implausible);

public abstract record ReportOutcome
{
    public sealed record Accepted(IReadOnlyList<FigureChanged> Changes, IReadOnlyList<ReportReceipt> Receipts) : ReportOutcome;
    public sealed record Invalid(IReadOnlyList<FieldError> Errors) : ReportOutcome;
    public sealed record Conflict(IReadOnlyList<VersionConflict> Conflicts) : ReportOutcome;
    /// <summary>The idempotency key was used before; nothing was written. The caller compares the request hash.</summary>
    public sealed record Repeated(IdempotencyRecord Record) : ReportOutcome;
}

/// <summary>
/// The one write path for figures, whatever the channel (page, API, import). A report is validated as a whole,
/// written in one transaction together with its revision rows, and only then announced on the change feed.
/// </summary>
/// <remarks>
/// Group commit: callers queue their reports; one writer takes up to <see cref="MaxBatch"/> queued reports at a time
/// and writes them in one transaction, each report checked and written in turn so that a later report sees the
/// earlier ones (versions, idempotency keys), then commits once and only then answers each caller and announces its
/// changes, in commit order. A refused report writes nothing; every acknowledged report is committed (WAL,
/// synchronous=FULL) before its caller hears of it. A transaction per report pays its BEGIN, reads and commit for
/// every report, which holds 16 writers to 510–775 acknowledged/s on the 2-core bench machine; sharing the
/// transaction spreads that fixed cost over the batch without making any answer less durable (BENCHMARKS.md, write path).
/// </remarks>
public sealed partial class FigureService : IAsyncDisposable, IDisposable
{
    /// <summary>At most this many queued reports share one transaction, so the first of them is not kept waiting long.</summary>
    public const int MaxBatch = 64;

    private readonly IDbContextFactory<LiveBoardDbContext> _dbFactory;
    private readonly IChangeFeed _feed;
    private readonly TimeProvider _clock;
    private readonly CampaignSetupCache _setup;
    private readonly ILogger<FigureService> _log;
    private readonly Channel<QueuedReport> _queue = Channel.CreateUnbounded<QueuedReport>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private long _commits;

    /// <summary>Transactions the writer has committed since start: beside the reports answered, how many shared a commit.</summary>
    public long Commits => Interlocked.Read(ref _commits);

    public FigureService(IDbContextFactory<LiveBoardDbContext> dbFactory, IChangeFeed feed, TimeProvider clock, CampaignSetupCache setup,
        ILogger<FigureService> log)
    {
        _dbFactory = dbFactory;
        _feed = feed;
        _clock = clock;
        _setup = setup;
        _log = log;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>One caller's reports (all-or-nothing) waiting for the writer, with the errors found before queueing.</summary>
    private sealed record QueuedReport(IReadOnlyList<ReportRequest> Requests, CampaignSetup Setup, IReadOnlyList<FieldError> ValueErrors,
        CancellationToken Cancellation)
    {
        public TaskCompletionSource<ReportOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    public Task<ReportOutcome> ReportAsync(ReportRequest request, CancellationToken ct = default) =>
        ReportManyAsync([request], ct);

    /// <summary>Several districts' reports (an organiser's import) as one all-or-nothing write.</summary>
    public async Task<ReportOutcome> ReportManyAsync(IReadOnlyList<ReportRequest> requests, CancellationToken ct = default)
    {
        if (await _setup.CurrentAsync(ct) is not { } setup)
            return new ReportOutcome.Invalid([new FieldError("campaign", new FigureError("Campaign_None"))]);
        if (requests.Count == 0)
            return new ReportOutcome.Invalid([new FieldError("values", new FigureError("Report_Empty"))]);

        var queued = new QueuedReport(requests, setup, CheckValues(requests, setup), ct);
        // Unbounded: the queue refuses a report only once disposing the service has completed it.
        ObjectDisposedException.ThrowIf(!_queue.Writer.TryWrite(queued), this);
        LiveBoardMetrics.WriteQueueDepth.Add(1);
        // Not abandoned on cancellation once writing has begun: the caller learns what was committed.
        return await queued.Outcome.Task;
    }

    /// <summary>What can be checked without the figures: known codes, rules of each value, reasons, duplicates.</summary>
    private static List<FieldError> CheckValues(IReadOnlyList<ReportRequest> requests, CampaignSetup setup)
    {
        var multi = requests.Count > 1;
        var errors = new List<FieldError>();
        foreach (var request in requests)
        {
            var where = multi ? request.DistrictCode : null;
            if (!setup.Districts.ContainsKey(request.DistrictCode))
            {
                errors.Add(new FieldError("district", new FigureError("District_Unknown", request.DistrictCode), where));
                continue;
            }
            if (request.Values.Count == 0)
                errors.Add(new FieldError("values", new FigureError("Report_Empty"), where));
            foreach (var entry in request.Values)
            {
                if (!setup.Indicators.TryGetValue(entry.IndicatorCode, out var indicator))
                    errors.Add(new FieldError(entry.IndicatorCode, new FigureError("Indicator_Unknown", entry.IndicatorCode), where));
                else if (FigureRules.Validate(indicator, entry.Value) is { } error)
                    errors.Add(new FieldError(entry.IndicatorCode, error, where));
                else if (FigureRules.ValidateReason(entry.Reason) is { } reasonError)
                    errors.Add(new FieldError(entry.IndicatorCode, reasonError, where));
            }
            if (request.Values.GroupBy(v => v.IndicatorCode).FirstOrDefault(g => g.Count() > 1) is { } twice)
                errors.Add(new FieldError(twice.Key, new FigureError("Report_Duplicate", twice.Key), where));
        }
        if (requests.GroupBy(r => r.DistrictCode).FirstOrDefault(g => g.Count() > 1) is { } twiceDistrict)
            errors.Add(new FieldError("district", new FigureError("Report_DuplicateDistrict", twiceDistrict.Key), twiceDistrict.Key));
        return errors;
    }

    // Writers queue here, in process, rather than on SQLite's lock: Microsoft.Data.Sqlite answers a busy database by
    // sleeping 150 ms and retrying, so 16 writers racing for BEGIN IMMEDIATE would spend most of their time asleep.
    private async Task WriteLoopAsync()
    {
        var reader = _queue.Reader;
        var batch = new List<QueuedReport>(MaxBatch);
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var next))
            {
                LiveBoardMetrics.WriteQueueDepth.Add(-1);
                if (next.Cancellation.IsCancellationRequested) next.Outcome.TrySetCanceled(next.Cancellation);
                else batch.Add(next);
            }
            if (batch.Count > 0) await WriteBatchAsync(batch);
        }
    }

    /// <summary>Writes, commits, announces and answers; never throws, so the writer loop outlives any one bad report.</summary>
    private async Task WriteBatchAsync(IReadOnlyList<QueuedReport> batch)
    {
        List<(QueuedReport Report, ReportOutcome Outcome)> done;
        try
        {
            // A lone report that lost a race to another instance (the database refused its write: the same figure or key was
            // committed between its reads and its writes) is read again through the one retry loop: naming the version it
            // saw, it now gets a conflict; otherwise it applies on top. A batch is not retried as a whole: see below.
            done = batch.Count > 1
                ? await WriteInOneTransactionAsync(batch)
                : await WriteRace.RetryAsync(() => WriteInOneTransactionAsync(batch));
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            // Nothing of the batch was committed. Each report runs again in its own transaction, so that one request that
            // cannot be written (or that lost a race) fails or is retried alone, and the others are written as if they had
            // come one by one.
            LogBatchRolledBack(_log, ex, batch.Count);
            foreach (var report in batch) await WriteBatchAsync([report]);
            return;
        }
        catch (Exception ex)
        {
            batch[0].Outcome.TrySetException(ex);
            return;
        }

        // Committed: each caller's changes are announced before the caller is answered, in commit order.
        foreach (var (report, outcome) in done)
        {
            if (outcome is ReportOutcome.Accepted { Changes.Count: var figures }) LiveBoardMetrics.FiguresAccepted.Add(figures);
            if (outcome is ReportOutcome.Accepted accepted)
            {
                _feed.WrittenTogether(accepted.Changes);
                foreach (var change in accepted.Changes)
                {
                    try
                    {
                        await _feed.PublishAsync(change, CancellationToken.None);
                    }
                    catch (Exception ex)
                    {
                        // The change is durable; a failed announcement must not turn it into an error for the reporter.
                        LogAnnouncementFailed(_log, ex);
                    }
                }
            }
            report.Outcome.TrySetResult(outcome);
        }
    }

    private async Task<List<(QueuedReport, ReportOutcome)>> WriteInOneTransactionAsync(IReadOnlyList<QueuedReport> batch)
    {
        await using var db = await _dbFactory.CreateDbContextAsync();
        // On SQLite, BEGIN IMMEDIATE: the write lock is taken up front, so version checks and writes cannot interleave
        // with another process's writes. On PostgreSQL (read committed) they can: the version-checked UPDATE and the
        // unique indexes refuse the loser's write, which is then read again (see WriteBatchAsync).
        await using var tx = await db.Database.BeginTransactionAsync();
        var read = await BatchReads.LoadAsync(db, batch);
        using var rows = new FigureRows(db);
        var done = new List<(QueuedReport, ReportOutcome)>(batch.Count);
        foreach (var report in batch) done.Add((report, await WriteReportAsync(rows, read, report)));
        // On PostgreSQL the batch's rows go in one round trip here (see FigureRows); a refused one fails the batch as before.
        await rows.FlushAsync();
        var committing = Stopwatch.GetTimestamp();
        await tx.CommitAsync();
        LiveBoardMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(committing).TotalSeconds);
        Interlocked.Increment(ref _commits);
        return done;
    }

    /// <summary>
    /// What a batch's reports read, in two queries inside its transaction: the figures of their districts and the
    /// idempotency keys they carry. Kept current as each report is accepted, so a later report of the batch sees the
    /// earlier ones' versions and keys; a refused report changes neither. (Per report, the reads cost more server
    /// time than the commit they shared.)
    /// </summary>
    private sealed class BatchReads
    {
        public required Dictionary<(int DistrictId, int IndicatorId), Figure> Figures { get; init; }
        public required Dictionary<(string UserName, string Scope, string Key), IdempotencyRecord> Keys { get; init; }

        public static async Task<BatchReads> LoadAsync(LiveBoardDbContext db, IReadOnlyList<QueuedReport> batch)
        {
            var requests = batch.SelectMany(r => r.Requests).ToList();
            var districtIds = batch.SelectMany(r => r.Requests.Select(q => r.Setup.Districts.GetValueOrDefault(q.DistrictCode)?.Id))
                .OfType<int>().Distinct().ToList();
            var indicatorIds = batch.SelectMany(r => r.Requests.SelectMany(q => q.Values.Select(v => r.Setup.Indicators.GetValueOrDefault(v.IndicatorCode)?.Id)))
                .OfType<int>().Distinct().ToList();
            // Only the indicators reported, not all thirty of each district.
            var figures = await (db.Database.IsSqlite()
                    ? db.Figures.Where(f => districtIds.Contains(f.DistrictId) && indicatorIds.Contains(f.IndicatorId))
                    : LockedFigures(db, districtIds, indicatorIds))
                .AsNoTracking().ToDictionaryAsync(f => (f.DistrictId, f.IndicatorId));
            var keys = await db.SeenAsync(requests.Where(r => r.Idempotency is not null).Select(r => (r.Author, r.Idempotency!)).ToList());
            return new BatchReads { Figures = figures, Keys = keys };
        }

        /// <summary>
        /// On PostgreSQL the batch's figure rows, locked until its commit (<c>FOR UPDATE</c>, in id order so that two batches
        /// never wait for each other in a circle). Without the lock, two instances writing one figure read the same version
        /// and the later UPDATE finds its version gone: a lost race, read and tried again, up to <see cref="WriteRace.MaxAttempts"/>
        /// times. With both instances writing one figure continuously (the fan-out bench) a report could lose five times in a
        /// row and be refused: a district's report lost. With the lock the second writer waits for the first one's commit
        /// and reads what it committed, so a write to an existing figure cannot lose; only a figure's first value (a
        /// unique index) or one idempotency key used on two instances at once still races. On SQLite the transaction
        /// already holds the database's one write lock (BEGIN IMMEDIATE).
        /// </summary>
        private static IQueryable<Figure> LockedFigures(LiveBoardDbContext db, List<int> districtIds, List<int> indicatorIds)
        {
            var figure = db.Model.FindEntityType(typeof(Figure))!;
            var table = StoreObjectIdentifier.Table(figure.GetTableName()!, figure.GetSchema());
            string Column(string property) => $"\"{figure.FindProperty(property)!.GetColumnName(table)}\"";
            var name = figure.GetSchema() is { } schema ? $"\"{schema}\".\"{table.Name}\"" : $"\"{table.Name}\"";
#pragma warning disable EF1002, EF1003 // only identifiers from the model are put into the text; the values are parameters
            return db.Figures.FromSqlRaw(
                $"SELECT * FROM {name} WHERE {Column(nameof(Figure.DistrictId))} = ANY({{0}}) AND {Column(nameof(Figure.IndicatorId))} = ANY({{1}}) " +
                $"ORDER BY {Column(nameof(Figure.Id))} FOR UPDATE", districtIds.ToArray(), indicatorIds.ToArray());
#pragma warning restore EF1002, EF1003
        }
    }

    /// <summary>One caller's reports inside the batch's transaction: refused as a whole (writing nothing) or written.</summary>
    private async Task<ReportOutcome> WriteReportAsync(FigureRows rows, BatchReads read, QueuedReport report)
    {
        var (requests, setup) = (report.Requests, report.Setup);
        var (districts, indicators) = (setup.Districts, setup.Indicators);
        var multi = requests.Count > 1;
        // A report with wrong values still gets its missing reasons named too, so one round of corrections is enough.
        var errors = report.ValueErrors.ToList();
        var valueErrors = errors.Count > 0;

        foreach (var request in valueErrors ? [] : requests)
        {
            // Checked inside the transaction, against the keys of the batch's earlier reports too: two retries with one
            // key, in one batch or racing, cannot both write.
            if (request.Idempotency is { } idem && read.Keys.TryGetValue((request.Author, idem.Scope, idem.Key), out var seen))
                return new ReportOutcome.Repeated(seen);
        }

        var known = requests.Where(r => districts.ContainsKey(r.DistrictCode)).ToList();
        var conflicts = new List<VersionConflict>();
        foreach (var request in known)
        {
            var district = districts[request.DistrictCode];
            var where = multi ? district.Code : null;
            foreach (var entry in request.Values.Where(v => indicators.ContainsKey(v.IndicatorCode)))
            {
                var current = read.Figures.GetValueOrDefault((district.Id, indicators[entry.IndicatorCode].Id));
                var currentVersion = current?.Version ?? 0;
                if (entry.ExpectedVersion is { } expected && expected != currentVersion)
                    conflicts.Add(new VersionConflict(entry.IndicatorCode, expected, currentVersion, current?.Value ?? 0,
                        current?.UpdatedBy ?? "", current?.UpdatedAt ?? default, where));
                else if (FigureRules.ValidateChange(current?.Value, entry.Value, entry.Reason, request.Channel) is { } reasonError
                         && !errors.Any(e => e.Field == entry.IndicatorCode && e.District == where))
                    errors.Add(new FieldError(entry.IndicatorCode, reasonError, where));
            }
        }
        if (valueErrors) return new ReportOutcome.Invalid(errors);
        if (conflicts.Count > 0) return new ReportOutcome.Conflict(conflicts);
        if (errors.Count > 0) return new ReportOutcome.Invalid(errors);

        var now = _clock.GetUtcNow();
        var changes = new List<(Figure Figure, decimal? Old, int ReadVersion, FigureEntry Entry, ReportRequest Request, bool Implausible)>();
        var receipts = new List<ReportReceipt>();
        foreach (var request in requests)
        {
            var district = districts[request.DistrictCode];
            var lines = new List<ReceiptLine>();
            foreach (var entry in request.Values)
            {
                var indicator = indicators[entry.IndicatorCode];
                var figure = read.Figures.GetValueOrDefault((district.Id, indicator.Id));
                var implausible = FigureRules.IsImplausible(indicator, entry.Value);
                if (figure is not null && figure.Value == entry.Value)
                {
                    // Re-sending the same value changes nothing.
                    lines.Add(new ReceiptLine(entry.IndicatorCode, figure.Value, figure.Value, figure.Version, false, implausible));
                    continue;
                }
                decimal? old = figure?.Value;
                figure ??= new Figure { CampaignId = setup.CampaignId, DistrictId = district.Id, IndicatorId = indicator.Id, UpdatedBy = request.Author };
                var readVersion = figure.Version;
                figure.Value = entry.Value;
                figure.Version += 1;
                figure.UpdatedAt = now;
                figure.UpdatedBy = request.Author;
                changes.Add((figure, old, readVersion, entry, request, implausible));
                lines.Add(new ReceiptLine(entry.IndicatorCode, old, entry.Value, figure.Version, true, implausible));
            }
            receipts.Add(new ReportReceipt(request.RequestId ?? "", district.Code, now, request.Author, lines));
        }
        // Written now, inside the batch's transaction; a failure rolls the whole batch back (see WriteBatchAsync).
        foreach (var c in changes)
        {
            if (c.Figure.Id == 0)
            {
                await rows.InsertAsync(c.Figure);
                read.Figures[(c.Figure.DistrictId, c.Figure.IndicatorId)] = c.Figure;
            }
            else await rows.UpdateAsync(c.Figure, c.ReadVersion);
            await rows.InsertAsync(new FigureRevision
            {
                FigureId = c.Figure.Id, CampaignId = setup.CampaignId, DistrictId = c.Figure.DistrictId, IndicatorId = c.Figure.IndicatorId,
                OldValue = c.Old, NewValue = c.Entry.Value, Version = c.Figure.Version, ChangedAt = now,
                ChangedBy = c.Request.Author, Reason = c.Entry.Reason?.Trim() ?? "", Channel = c.Request.Channel,
                RequestId = c.Request.RequestId, Implausible = c.Implausible, ClientAddress = c.Request.ClientAddress,
            });
        }
        for (var i = 0; i < requests.Count; i++)
        {
            if (requests[i].Idempotency is not { } idem) continue;
            var record = idem.Record(requests[i].Author, receipts[i], now);
            await rows.InsertAsync(record);
            read.Keys[(record.UserName, record.Scope, record.Key)] = record;
        }

        var events = changes.Select(c => new FigureChanged(setup.CampaignId, c.Request.DistrictCode, c.Entry.IndicatorCode, c.Old,
            c.Entry.Value, c.Figure.Version, now, c.Request.Author, c.Request.Channel)).ToList();
        return new ReportOutcome.Accepted(events, receipts);
    }

    /// <summary>Stops taking reports; those already queued are still written.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    public void Dispose() => _queue.Writer.TryComplete();

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} reports failed and was rolled back; writing each alone")]
    private static partial void LogBatchRolledBack(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Announcing a committed change failed")]
    private static partial void LogAnnouncementFailed(ILogger logger, Exception exception);
}
