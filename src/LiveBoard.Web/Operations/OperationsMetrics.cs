using System.Diagnostics.Metrics;
using LiveBoard.Web.Diagnostics;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Operations.Backups;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LiveBoard.Web.Operations;

/// <summary>
/// The gauges read when /metrics is scraped: screens online and the age of the newest backup. One meter per app (from
/// the host's meter factory), so each gauge reads its own app's screens and folder.
/// </summary>
public sealed class OperationsMetrics : IDisposable
{
    private readonly Meter _meter;

    public OperationsMetrics(IMeterFactory meters, ScreenFleet screens, BackupFolder backups, TimeProvider clock)
    {
        _meter = meters.Create(LiveBoardMetrics.MeterName);
        _meter.CreateObservableGauge("liveboard.screens.online", () => screens.Online().Count, "{screen}",
            "Wall-display pages that sent a heartbeat in the last 30 seconds.");
        _meter.CreateObservableGauge("liveboard.backup.newest.age", () => NewestAge(backups, clock), "s",
            "Seconds since the newest verified backup in the backup folder was taken (absent while there is none).");
    }

    private static IEnumerable<Measurement<double>> NewestAge(BackupFolder backups, TimeProvider clock) =>
        backups.List().FirstOrDefault(b => b.Verified) is { } newest
            ? [new Measurement<double>((clock.GetUtcNow() - newest.CreatedAt).TotalSeconds)]
            : [];

    public void Dispose() => _meter.Dispose();

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
