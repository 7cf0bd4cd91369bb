using LiveBoard.Core;
using LiveBoard.Core.Meeting;
using LiveBoard.Web.Live;

namespace LiveBoard.Web.Operations.Backups;

/// <summary>
/// Backs up every <see cref="BackupOptions.IntervalMinutes"/> while the campaign is being written to (a quiet database
/// gets no new copy), and once each time a ranking is published: that backup is the day's official record.
/// </summary>
public sealed partial class AutomaticBackups(BackupFolder folder, IChangeFeed feed, TimeProvider clock, ILogger<AutomaticBackups> log)
    : BackgroundService
{
    private int _changed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!folder.Enabled) return;
        using var subscription = feed.Subscribe(OnChangeAsync);
        var interval = folder.Options.IntervalMinutes;
        try
        {
            if (interval <= 0)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, clock, stoppingToken);
                return;
            }
            using var timer = new PeriodicTimer(TimeSpan.FromMinutes(interval), clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
                if (Interlocked.Exchange(ref _changed, 0) == 1) await TryTakeAsync(BackupFolder.Interval, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task OnChangeAsync(CampaignEvent change)
    {
        if (change is RankingPublished)
        {
            // Off the publisher's path: the organiser's "publish" returns at once; the copy follows its commit. Not in the
            // publisher's execution context either: the copy is no part of that request (its log scope, its trace).
            using (ExecutionContext.SuppressFlow())
                _ = Task.Run(() => TryTakeAsync(BackupFolder.Publication, CancellationToken.None));
        }
        else if (change.ChangesStandings)
            Volatile.Write(ref _changed, 1);
        await Task.CompletedTask;
    }

    private async Task TryTakeAsync(string reason, CancellationToken ct)
    {
        try
        {
            await folder.TakeAsync(reason, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A failed backup must not take the service down; it is logged and the age metric keeps growing.
            LogFailed(e, reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Automatic backup ({Reason}) failed")]
    private partial void LogFailed(Exception e, string reason);
}
