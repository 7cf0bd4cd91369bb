using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LiveBoard.Web.Diagnostics;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Operations.Backups;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LiveBoard.Web.Operations;

/// <summary>
/// The gauges read when /metrics is scraped: screens online and the age of the newest backup, one measurement per
/// running app, labelled with its database file. The gauges are process-wide (one meter, created once): per-app meters of
/// the same name would register the same instruments twice in a process that hosts several apps (the tests), and the
/// exporter keeps only one of them.
/// </summary>
public sealed class OperationsMetrics : IDisposable
{
    private static readonly ConcurrentDictionary<OperationsMetrics, byte> Running = new();
    private static readonly Meter Meter = new(LiveBoardMetrics.MeterName);
    private static readonly ObservableGauge<int> ScreensOnline = Meter.CreateObservableGauge("liveboard.screens.online",
        () => Running.Keys.Select(m => new Measurement<int>(m._screens.Online().Count, m._database)), "{screen}",
        "Wall-display pages that sent a heartbeat in the last 30 seconds.");
    private static readonly ObservableGauge<double> NewestBackupAge = Meter.CreateObservableGauge("liveboard.backup.newest.age",
        () => Running.Keys.SelectMany(m => m.NewestAge()), "s",
        "Seconds since the newest verified backup in the backup folder was taken (absent while there is none).");

    private readonly ScreenFleet _screens;
    private readonly BackupFolder _backups;
    private readonly TimeProvider _clock;
    private readonly KeyValuePair<string, object?> _database;

    public OperationsMetrics(ScreenFleet screens, BackupFolder backups, TimeProvider clock)
    {
        (_screens, _backups, _clock) = (screens, backups, clock);
        _database = new("database", Path.GetFileName(backups.DatabaseFile ?? "memory"));
        Running[this] = 0;
    }

    private IEnumerable<Measurement<double>> NewestAge() =>
        _backups.List().FirstOrDefault(b => b.Verified) is { } newest
            ? [new Measurement<double>((_clock.GetUtcNow() - newest.CreatedAt).TotalSeconds, _database)]
            : [];

    public void Dispose() => Running.TryRemove(this, out _);

    /// <summary>Counts circuits as they open and close (connected, or held for reconnection).</summary>
    public sealed class Circuits : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            LiveBoardMetrics.OpenCircuits.Add(1);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            LiveBoardMetrics.OpenCircuits.Add(-1);
            return Task.CompletedTask;
        }
    }
}
