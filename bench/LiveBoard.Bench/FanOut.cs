using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveBoard.Bench;

public sealed record FanOutResult(int Viewers, int Submissions, long Expected, long Received, Distribution Latency)
{
    public long Lost => Expected - Received;
}

/// <summary>
/// Connects N hub viewers, fires submissions at a steady rate and records, for every viewer and submission,
/// the time from just before the trigger to the viewer's receipt of the matching event.
/// </summary>
public sealed class FanOut
{
    public required Func<HubConnection> Connect { get; init; }
    public required string EventName { get; init; }
    /// <summary>Reads the submission number out of an event; null for events that are not ours.</summary>
    public required Func<JsonElement, long?> IdOf { get; init; }
    /// <summary>Submits number n (e.g. POSTs a report whose value encodes n).</summary>
    public required Func<long, Task> Trigger { get; init; }
    /// <summary>Runs once every viewer is connected, before the first submission (e.g. to read server memory).</summary>
    public Func<int, Task>? AllConnected { get; init; }

    public async Task<FanOutResult> RunAsync(int viewers, double ratePerSecond, TimeSpan duration, Action<string> progress)
    {
        var sentAt = new ConcurrentDictionary<long, long>();
        var latencies = new ConcurrentBag<double[]>();
        var perViewer = new List<double>[viewers];
        long received = 0;
        var connections = new HubConnection[viewers];

        // Connect in batches: a burst of 10,000 handshakes at once only measures the accept queue.
        for (var start = 0; start < viewers; start += 250)
        {
            var batch = Enumerable.Range(start, Math.Min(250, viewers - start)).Select(async i =>
            {
                var list = perViewer[i] = new List<double>();
                var conn = Connect();
                conn.On<JsonElement>(EventName, payload =>
                {
                    var now = Stopwatch.GetTimestamp();
                    if (IdOf(payload) is { } id && sentAt.TryGetValue(id, out var t0))
                    {
                        lock (list) list.Add(Stopwatch.GetElapsedTime(t0, now).TotalMilliseconds);
                        Interlocked.Increment(ref received);
                    }
                });
                await conn.StartAsync();
                connections[i] = conn;
            });
            await Task.WhenAll(batch);
            progress($"  connected {Math.Min(start + 250, viewers)}/{viewers}");
        }

        if (AllConnected is not null) await AllConnected(viewers);

        var submissions = (int)Math.Round(ratePerSecond * duration.TotalSeconds);
        var pending = new List<Task>();
        using (var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / ratePerSecond)))
        {
            for (long n = 1; n <= submissions; n++)
            {
                await timer.WaitForNextTickAsync();
                sentAt[n] = Stopwatch.GetTimestamp();
                pending.Add(Trigger(n));
            }
        }
        await Task.WhenAll(pending);

        var expected = (long)submissions * viewers;
        var grace = Stopwatch.StartNew();
        while (Interlocked.Read(ref received) < expected && grace.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(50); // waiting for stragglers, bounded; lost events are reported, not hidden

        await Task.WhenAll(connections.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        var all = perViewer.SelectMany(l => l).ToList();
        return new FanOutResult(viewers, submissions, expected, Interlocked.Read(ref received), Distribution.Of(all));
    }
}
