using System.Diagnostics.Metrics;

namespace LiveBoard.Web.Diagnostics;

/// <summary>
/// LiveBoard's own instruments (meter "LiveBoard"), recorded by the code that knows each number and exported at
/// /metrics. Request rates and durations, hub connections and the runtime come from ASP.NET Core's built-in meters.
/// </summary>
public static class LiveBoardMetrics
{
    public const string MeterName = "LiveBoard";

    // Static: the numbers belong to the process, and every piece that records one can reach it without a dependency.
    private static readonly Meter Meter = new(MeterName);

    // Latencies of a local write and of a push to a screen: milliseconds matter, seconds are trouble.
    private static readonly InstrumentAdvice<double> Latency = new()
    {
        HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    };

    public static readonly Counter<long> FiguresAccepted = Meter.CreateCounter<long>("liveboard.figures.accepted", "{figure}",
        "Figure changes accepted and committed (each value of a report counts once).");

    public static readonly UpDownCounter<long> WriteQueueDepth = Meter.CreateUpDownCounter<long>("liveboard.reports.queued", "{report}",
        "Reports waiting for the single writer.");

    public static readonly Histogram<double> CommitDuration = Meter.CreateHistogram("liveboard.reports.commit.duration", "s",
        "Time to commit one group of reports (SQLite, synchronous=FULL).", advice: Latency);

    public static readonly Histogram<double> ChangeToScreen = Meter.CreateHistogram("liveboard.changes.send.duration", "s",
        "From a change's commit to its frames handed to every connected screen.", advice: Latency);

    public static readonly UpDownCounter<long> OpenCircuits = Meter.CreateUpDownCounter<long>("liveboard.circuits.open", "{circuit}",
        "Interactive Blazor circuits held by the server (pages open in a browser, connected or waiting to reconnect).");
}
