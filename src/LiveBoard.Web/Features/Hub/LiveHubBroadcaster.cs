using System.Collections.Concurrent;
using LiveBoard.Core;
using System.Globalization;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Meeting;
using LiveBoard.Web.Api;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Data;
using LiveBoard.Web.Diagnostics;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Live;
using LiveBoard.Web.Standings;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Hub;

/// <summary>
/// Feeds /hubs/live from the same change feed the display pages follow. Each accepted figure goes out at once as
/// FigureReported; the ranking is recomputed at most once in flight (a burst of figures costs one or two
/// recomputations) and goes out as RankingChanged. Events are queued and sent by one run at a time, in feed order:
/// the writer that published a change does not wait while a frame is written to every one of thousands of connections.
/// </summary>
/// <remarks>
/// On the Redis backplane a change is sent by the instance that committed it, so while Redis is away the figures
/// committed elsewhere (and this instance's own sends) reach nobody. Each instance keeps the last version of every figure
/// its clients were sent; when the feed resyncs, the versions committed since are read back from the revision history
/// and sent to this instance's own figures clients, in commit order, once.
/// </remarks>
public sealed partial class LiveHubBroadcaster(IChangeFeed feed, IHubContext<LiveHub> hub, LiveStandings standings,
    LiveConnections connections, ReportingStatus reporting, TimeProvider clock, MeetingService meeting,
    IDbContextFactory<LiveBoardDbContext> dbFactory, ILogger<LiveHubBroadcaster> log) : IHostedService
{
    private readonly ConcurrentDictionary<(int Campaign, string District, string Indicator), int> _sentFigures = new();

    private IDisposable? _subscription;
    private Coalescer? _ranking;
    private volatile bool _stopped;

    // A full recomputation (campaign, figures, inspection standings, ranking) costs milliseconds; run back to back under
    // a stream of writes it would take most of a core from the writers. And a RankingChanged (~2.5 KB) weighs fifteen
    // FigureReported: at 10 reports/s to 10,000 connections, four a second would triple the bytes and let the backlog
    // grow to tens of seconds. One a second is still live for a wall, the last one is always current, and
    // every FigureReported still goes out at once.
    private static readonly TimeSpan RankingPause = TimeSpan.FromSeconds(1);
    private readonly ConcurrentQueue<CampaignEvent> _queue = new();
    // Sends started and not yet finished, oldest first; only the one run of _sends at a time touches it.
    private readonly Queue<Task> _inFlight = new();
    private Coalescer? _sends;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Run on the writer's own thread right after the commit (see OnChangeAsync); SendQueuedAsync never throws.
        _sends = new Coalescer(SendQueuedAsync, _ => Task.CompletedTask, onRequestersThread: true);
        _ranking = new Coalescer(SendRankingAsync, ex =>
        {
            // A run still loading when the host disposes its services after the stop: there is nobody left to send to.
            if (_stopped && ex is ObjectDisposedException) return Task.CompletedTask;
            LogRankingNotSent(log, ex);
            return Task.CompletedTask;
        }, RankingPause);
        _subscription = feed.Subscribe(OnChangeAsync);
        // Only a shared feed resyncs; in one process every change reaches the clients as it is made.
        return feed is RedisChangeFeed ? KnowSentFiguresAsync(cancellationToken) : Task.CompletedTask;
    }

    // What the clients have at start: the figures as they are (a client connecting now reads them in its Snapshot).
    private async Task KnowSentFiguresAsync(CancellationToken ct)
    {
        try
        {
            await using var db = await dbFactory.CreateDbContextAsync(ct);
            if (await db.CurrentCampaignAsync(ct) is not { } campaign) return;
            foreach (var ((district, indicator), version) in await db.FigureVersionsAsync(campaign.Id, ct))
                Sent(campaign.Id, district, indicator, version);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The start goes on: a resync then replays the campaign's history from the beginning, which is late, not wrong.
            LogFiguresUnknown(log, ex);
        }
    }

    private void Sent(FigureChanged figure) => Sent(figure.CampaignId, figure.DistrictCode, figure.IndicatorCode, figure.Version);

    private void Sent(int campaign, string district, string indicator, int version) =>
        _sentFigures.AddOrUpdate((campaign, district, indicator), version, (_, v) => Math.Max(v, version));

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopped = true;
        _subscription?.Dispose();
        // Whatever was queued before the feed let go is still sent: every queued change requested a run.
        if (_sends is not null) await _sends.WhenIdleAsync(cancellationToken);
        Task[] last;
        lock (_inFlight) last = [.. _inFlight];
        await Task.WhenAll(last).WaitAsync(cancellationToken);
    }

    // Called by the writer right after the commit. The sending is queued to the writer's own thread (its local queue), not
    // to the thread pool's global queue: during a broadcast that queue holds a work item for every connection a frame is
    // on its way to, and a change queued behind them would wait before its own send began. Commit → send started,
    // 10,000 viewers at 10 reports/s: p90 0.4 ms, p99 65 ms from here against p90 13 ms, p99 103 ms through a channel
    // and the global queue (bench/notes/2026-11-29-fan-out.md). Writing the frames themselves takes 75–150 ms at that
    // size, and is SignalR's.
    private Task OnChangeAsync(CampaignEvent change)
    {
        // On the Redis backplane a send reaches the clients of every instance: the instance that committed a change
        // sends it; the others act only on what is theirs (their connections of a screen, their own resync).
        var here = feed.CommittedHere(change);
        // Another instance sends the ranking after its own changes (and a resync may follow missed ones): what the
        // clients were sent last is then not known here, and the next ranking goes out whatever it is.
        if ((!here && change.ChangesStandings) || change is FeedResynced) _sentRanking = null;
        // Another instance's figure reached this one's clients with the send of the instance that committed it.
        if (!here && change is FigureChanged elsewhere) Sent(elsewhere);
        if (!here && change is not (ScreenAccessChanged or FeedResynced)) return Task.CompletedTask;
        _queue.Enqueue(change);
        _sends!.Request();
        return Task.CompletedTask;
    }

    // How many sends may be on their way at once. A send to a group completes only when every connection has taken
    // the frame, so awaiting each one before starting the next would pace every viewer by the slowest: at 10 reports/s
    // to 10,000 connections the queue would fall a second behind. Order still holds per connection:
    // SignalR hands a send's frame to every connection before SendAsync returns, and a connection that is still busy
    // queues frames first come, first served. The window bounds what a stuck client can pile up.
    private const int SendsInFlight = 32;

    /// <summary>Sends the queued changes in order (one run at a time: <see cref="_sends"/>).</summary>
    private async Task SendQueuedAsync()
    {
        while (_queue.TryDequeue(out var change))
        {
            var sending = Observed(change, () => SendAsync(change));
            Task? oldest = null;
            lock (_inFlight)
            {
                _inFlight.Enqueue(sending);
                while (_inFlight.Count > 0 && _inFlight.Peek().IsCompleted) _inFlight.Dequeue();
                if (_inFlight.Count > SendsInFlight) oldest = _inFlight.Dequeue();
            }
            if (oldest is not null) await oldest;
            // The replay goes out whole before anything newer: a client gets each figure's versions in order.
            if (change is FeedResynced) await sending;
        }
    }

    private async Task Observed(CampaignEvent change, Func<Task> send)
    {
        try
        {
            await send();
            LiveBoardMetrics.ChangeToScreen.Record((clock.GetUtcNow() - change.At).TotalSeconds);
        }
        catch (Exception ex)
        {
            // One failed send must not stop the events after it.
            LogEventNotSent(log, ex, change.GetType().Name);
        }
    }

    /// <summary>Starts the sends for one change; the frames are with every connection when this returns.</summary>
    private Task SendAsync(CampaignEvent change)
    {
        switch (change)
        {
            case FigureChanged figure:
                var sent = hub.Clients.Groups(LiveTopics.GroupsWith(LiveTopics.Figures)).SendAsync("FigureReported", LiveFigureReported.From(figure));
                if (FirstReportToday(figure))
                    sent = Task.WhenAll(sent, hub.Clients.Groups(LiveTopics.GroupsWith(LiveTopics.Status)).SendAsync("ReportingStatusChanged",
                        new LiveReportingStatusChanged(figure.DistrictCode, true, figure.ChangedAt)));
                // With only ticker clients, a full recomputation a second would be the broadcaster's own cost, for
                // nobody; a ranking client that connects later reads the current ranking in its Snapshot.
                if (connections.Subscribers(LiveTopics.Ranking) > 0) _ranking!.Request();
                return SentWhenDoneAsync(sent, figure);
            case FeedResynced:
                // Changes may have been missed while the feed was away: a ranking client gets the current one now.
                if (connections.Subscribers(LiveTopics.Ranking) > 0) _ranking!.Request();
                return ReplayMissedFiguresAsync();
            case ScreenAccessChanged access:
                connections.AbortScreen(access.Slug);
                return Task.CompletedTask;
            case MeetingChanged step:
                return SendMeetingAsync(step);
            case RankingPublished published:
                var sends = hub.Clients.Groups(LiveTopics.GroupsWith(LiveTopics.Meeting)).SendAsync("RankingPublished", new LiveRankingPublished(published.Version,
                    published.Day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), $"{ApiRoutes.Prefix}/rankings/published/{published.PublicationId}", published.At));
                // The published ranking is the one movement is measured against now: ranking clients get it too.
                if (connections.Subscribers(LiveTopics.Ranking) > 0) _ranking!.Request();
                return sends;
            default:
                return Task.CompletedTask;
        }
    }

    // A send that failed (Redis away) is not counted as sent: the next resync replays it.
    private async Task SentWhenDoneAsync(Task send, FigureChanged figure)
    {
        await send;
        Sent(figure);
    }

    // Sent to this instance's own connections only: every instance replays what its own clients missed.
    private async Task ReplayMissedFiguresAsync()
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        if (await db.CurrentCampaignAsync() is not { } campaign) return;
        var seen = _sentFigures.Where(s => s.Key.Campaign == campaign.Id).ToDictionary(s => (s.Key.District, s.Key.Indicator), s => s.Value);
        var missed = await db.FigureChangesAfterAsync(campaign.Id, seen);
        var clients = hub.Clients.Clients(connections.ConnectionsOf(LiveTopics.Figures));
        foreach (var figure in missed)
        {
            await clients.SendAsync("FigureReported", LiveFigureReported.From(figure));
            Sent(figure);
        }
        if (missed.Count > 0) LogReplayed(log, missed.Count);
    }

    // The item the meeting is on, named as the agenda names it (the agenda is read with the standings it shows).
    private async Task SendMeetingAsync(MeetingChanged step)
    {
        AgendaItem? item = null;
        if (step.Active && await meeting.LoadAsync(step.Day) is { Agenda.Count: > 0 } data)
            item = data.Agenda[Math.Clamp(step.Index, 0, data.Agenda.Count - 1)];
        await hub.Clients.Groups(LiveTopics.GroupsWith(LiveTopics.Meeting)).SendAsync("MeetingChanged", new LiveMeetingChanged(
            step.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), step.Active, step.Index,
            item?.Kind.ToString().ToLowerInvariant(), item?.DistrictCode, step.At));
    }

    // The last campaign day each district reported on. In memory: after a restart a district's first report is
    // announced once more, which a consumer treats as the no-op it is.
    private readonly Dictionary<string, DateOnly> _reportedOn = [];

    // "Today" is the campaign clock's, as on the status page and the wall's status panel (ReportingStatus).
    private bool FirstReportToday(FigureChanged figure)
    {
        if (figure.Channel == Channels.Seed) return false;
        var today = reporting.Today;
        lock (_reportedOn)
        {
            if (_reportedOn.TryGetValue(figure.DistrictCode, out var day) && day == today) return false;
            _reportedOn[figure.DistrictCode] = today;
            return true;
        }
    }

    private sealed record SentRanking(IReadOnlyList<LiveRankingEntry> Ranking, IReadOnlyList<LiveTotal> Totals);

    /// <summary>Completes once no ranking is being worked out or waiting to be (tests: "nothing more is coming").</summary>
    internal Task RankingIdleAsync(CancellationToken ct) => _ranking!.WhenIdleAsync(ct);

    // The ranking and totals this instance last sent; null when the clients may have been sent another since.
    private volatile SentRanking? _sentRanking;

    private async Task SendRankingAsync()
    {
        // The ranking coalescer pauses a second between runs: a run queued before the stop would start after it.
        if (_stopped) return;
        if (await standings.CurrentAsync() is not { } snapshot) return;
        var ranking = LivePayloads.Ranking(snapshot.City);
        var totals = LivePayloads.Totals(snapshot.City);
        // A burst of changes committed together (an import of 10,000 rows) is announced one change at a time: the first
        // run already reads all of it, the run after the pause reads it again. A ranking equal to the one sent is news
        // to nobody: every client is sent one per change of the ranking or totals, not per run.
        if (_sentRanking is { } sent && sent.Ranking.SequenceEqual(ranking) && sent.Totals.SequenceEqual(totals)) return;
        _sentRanking = null;
        await hub.Clients.Groups(LiveTopics.GroupsWith(LiveTopics.Ranking)).SendAsync("RankingChanged",
            new LiveRankingChanged(clock.GetUtcNow(), ranking, totals));
        _sentRanking = new SentRanking(ranking, totals);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not send the ranking to hub clients")]
    private static partial void LogRankingNotSent(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The figures this instance's hub clients were sent could not be read; a resync replays from the beginning")]
    private static partial void LogFiguresUnknown(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sent {Count} figure change(s) missed while the feed was away to this instance's hub clients")]
    private static partial void LogReplayed(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not send {Event} to hub clients")]
    private static partial void LogEventNotSent(ILogger logger, Exception exception, string @event);
}
