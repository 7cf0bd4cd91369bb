using System.Collections.Concurrent;
using LiveBoard.Core;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>Why a request was refused, as stored in a <see cref="AuditKinds.Refused"/> row.</summary>
public static class RefusalReasons
{
    /// <summary>401: no or a bad token, key or cookie (the API, the live hub).</summary>
    public const string Unauthenticated = "unauthenticated";
    /// <summary>403: signed in, but not allowed (another district, a role without the right, a disabled account).</summary>
    public const string Forbidden = "forbidden";
    /// <summary>A page's "access denied" answer was shown.</summary>
    public const string PageDenied = "page-denied";
    /// <summary>A live connection from another site's page.</summary>
    public const string ForeignOrigin = "foreign-origin";
    /// <summary>Too many live pages open from one address (the circuit cap).</summary>
    public const string TooManyPages = "too-many-pages";
    /// <summary>A login or logout form post without this site's antiforgery token (missing, expired, another site's).</summary>
    public const string Antiforgery = "antiforgery";
    /// <summary>A sign-in refused unchecked because its address is waiting out its back-off (<c>SignInThrottle</c>).</summary>
    public const string SignInThrottled = "sign-in-throttled";
    /// <summary>429 from a rate limit (sign-ins or writes per minute).</summary>
    public const string RateLimited = "rate-limited";
}

/// <summary>
/// Refused attempts, counted per client address and minute and written as one audit row per address and minute
/// (<see cref="AuditKinds.Refused"/>, detail: count, reasons with their counts, the first paths and accounts): a flood of
/// refused requests costs one row a minute, not one per request, and no database write on the refused request's path.
/// A minute's row is written once the minute is over (<see cref="RefusedAttemptsWriter"/>, and at shutdown), so the
/// audit table stays append-only; a crash loses at most the current minute's counts.
/// </summary>
public sealed class RefusedAttempts(TimeProvider clock)
{
    /// <summary>Past this many addresses in one minute, further addresses are counted together under <see cref="OtherAddresses"/>.</summary>
    public const int MaxAddressesPerMinute = 10_000;
    public const string OtherAddresses = "*";
    private const int MaxListed = 5;

    internal sealed class Tally
    {
        public int Count;
        public readonly ConcurrentDictionary<string, int> Reasons = new(StringComparer.Ordinal);
        public readonly ConcurrentQueue<string> Paths = new();
        public readonly ConcurrentQueue<string> Accounts = new();
        public string Channel = Channels.Web;
    }

    private readonly ConcurrentDictionary<(DateTimeOffset Minute, string Address), Tally> _tallies = new();

    private static readonly object RecordedKey = new();

    /// <summary>
    /// Counts this request as refused: its client address, its path (or <paramref name="path"/>), the account signed in
    /// or <paramref name="account"/> (the name a refused sign-in gave), the channel its path belongs to.
    /// </summary>
    public void Record(HttpContext http, string reason, string? path = null, string? account = null)
    {
        http.Items[RecordedKey] = true;
        var request = http.Request;
        var channel = request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") ? Channels.Api : Channels.Web;
        Record(http.Connection.RemoteIpAddress?.ToString(), path ?? request.Path.ToString(), reason,
            string.IsNullOrEmpty(account) ? http.User.Identity?.Name : account, channel);
    }

    /// <summary>Whether this request was already counted (an endpoint that refuses records its own, more precise reason).</summary>
    public static bool IsRecorded(HttpContext http) => http.Items.ContainsKey(RecordedKey);

    public void Record(string? address, string path, string reason, string? account, string channel)
    {
        var minute = Minute(clock.GetUtcNow());
        var key = (minute, string.IsNullOrEmpty(address) ? "?" : address);
        if (!_tallies.TryGetValue(key, out var tally))
        {
            if (_tallies.Count >= MaxAddressesPerMinute) key = (minute, OtherAddresses);
            tally = _tallies.GetOrAdd(key, _ => new Tally { Channel = channel });
        }
        Interlocked.Increment(ref tally.Count);
        tally.Reasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
        AddListed(tally.Paths, path.Length > 200 ? path[..200] : path);
        if (!string.IsNullOrEmpty(account)) AddListed(tally.Accounts, account);
    }

    // The first few distinct values: enough to see what was tried, bounded whatever a flood sends.
    private static void AddListed(ConcurrentQueue<string> list, string value)
    {
        if (list.Count < MaxListed && !list.Contains(value)) list.Enqueue(value);
    }

    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.UtcTicks - at.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);

    /// <summary>Takes the tallies of the minutes that are over (all of them when <paramref name="all"/>) as audit rows.</summary>
    internal List<AuditEvent> TakeFinished(bool all)
    {
        var current = Minute(clock.GetUtcNow());
        var rows = new List<AuditEvent>();
        foreach (var key in _tallies.Keys.Where(k => all || k.Minute < current).OrderBy(k => k.Minute))
        {
            if (!_tallies.TryRemove(key, out var t)) continue;
            var detail = new
            {
                count = Volatile.Read(ref t.Count),
                reasons = t.Reasons.OrderByDescending(r => r.Value).ToDictionary(r => r.Key, r => r.Value),
                paths = t.Paths.ToArray(),
                minute = key.Minute,
            };
            var row = AuditLog.Event(AuditKinds.Refused, string.Join(", ", t.Accounts), t.Channel, null, key.Minute, detail);
            row.RemoteAddress = key.Address;
            rows.Add(row);
        }
        return rows;
    }
}

/// <summary>Writes the refused attempts of each finished minute, and what is left at shutdown.</summary>
public sealed partial class RefusedAttemptsWriter(RefusedAttempts refusals, IDbContextFactory<LiveBoardDbContext> dbFactory, TimeProvider clock,
    ILogger<RefusedAttemptsWriter> log) : BackgroundService
{
    /// <summary>How often finished minutes are looked for: a minute's row is written at most this long after it ends.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken)) await WriteAsync(all: false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private readonly Lock _finalGate = new();
    private Task? _final;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        // A host can be stopped twice at once: the app's own Run() answers ApplicationStopping with a StopAsync of its
        // own and disposes the services as soon as that returns, while whoever called StopAsync first (a test host, a
        // service manager's host) is still inside it. Each stop waits for the one final write: a stop that found the
        // tallies already taken by the other returned at once, the services were disposed under the write, and the
        // last minute's refused attempts were lost (ObjectDisposedException, seen in the test runs).
        Task final;
        lock (_finalGate) final = _final ??= WriteAsync(all: true);
        await final;
    }

    private async Task WriteAsync(bool all)
    {
        var rows = refusals.TakeFinished(all);
        if (rows.Count == 0) return;
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync();
            db.AuditEvents.AddRange(rows);
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            // The counts are lost, not the service: the log says how many.
            LogLost(log, e, rows.Count);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not write {Rows} refused-attempt audit rows")]
    private static partial void LogLost(ILogger logger, Exception e, int rows);
}
