using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace LiveBoard.Bench;

/// <param name="BroadcastCpu">Server and generator CPU seconds from the first submission to the last receipt: the
/// cost of sending, apart from the cost of connecting.</param>
public sealed record FanOutResult(int Viewers, int Submissions, long Expected, long Received, Distribution Latency,
    (double Server, double Generator) BroadcastCpu, Distribution Trigger)
{
    public long Lost => Expected - Received;
}

/// <summary>
/// Connects N hub viewers, fires submissions at a steady rate and records, for every viewer and submission,
/// the time from just before the trigger to the viewer's receipt of the matching event.
/// </summary>
public sealed class FanOut
{
    /// <summary>Connects one viewer that calls the handler with each measured event's argument.</summary>
    public required Func<Action<JsonElement>, Task<IAsyncDisposable>> Connect { get; init; }
    /// <summary>Reads the submission number out of an event; null for events that are not ours.</summary>
    public required Func<JsonElement, long?> IdOf { get; init; }
    /// <summary>Submits number n (e.g. POSTs a report whose value encodes n).</summary>
    public required Func<long, Task> Trigger { get; init; }
    /// <summary>Runs once every viewer is connected, before the first submission (e.g. to read server memory).</summary>
    public Func<int, Task>? AllConnected { get; init; }
    /// <summary>The server process, for its CPU while broadcasting.</summary>
    public required ProcessMeter Server { get; init; }

    public async Task<FanOutResult> RunAsync(int viewers, double ratePerSecond, TimeSpan duration, Action<string> progress, TimeSpan warmUp = default)
    {
        var sentAt = new ConcurrentDictionary<long, long>();
        var perViewer = new List<double>[viewers];
        long received = 0;
        var connections = new IAsyncDisposable[viewers];

        // Connect in batches: a burst of 10,000 handshakes at once only measures the accept queue.
        for (var start = 0; start < viewers; start += 250)
        {
            var batch = Enumerable.Range(start, Math.Min(250, viewers - start)).Select(async i =>
            {
                var list = perViewer[i] = new List<double>();
                connections[i] = await Connect(payload =>
                {
                    var now = Stopwatch.GetTimestamp();
                    if (IdOf(payload) is { } id && sentAt.TryGetValue(id, out var t0))
                    {
                        lock (list) list.Add(Stopwatch.GetElapsedTime(t0, now).TotalMilliseconds);
                        Interlocked.Increment(ref received);
                    }
                });
            });
            await Task.WhenAll(batch);
            progress($"  connected {Math.Min(start + 250, viewers)}/{viewers}");
        }

        // Bare WebSocket viewers answer for themselves: the server drops a client it has not heard from in 30 s.
        using var stopPinging = new CancellationTokenSource();
        var pinging = Task.Run(async () =>
        {
            using var every = new PeriodicTimer(TimeSpan.FromSeconds(10));
            try
            {
                while (await every.WaitForNextTickAsync(stopPinging.Token))
                    foreach (var raw in connections.OfType<RawHubViewer>()) await raw.PingAsync();
            }
            catch (OperationCanceledException) { }
        });

        if (AllConnected is not null) await AllConnected(viewers);

        // Warm-up at the same rate, not measured: right after 10,000 connections the server is still JIT-compiling what
        // the connections made hot (counters: LiveBoard 268 methods/s and half a core in the JIT during the first
        // broadcast seconds), which is not what a wall sees after the first minute. Negative numbers match no submission.
        if (warmUp > TimeSpan.Zero)
        {
            await FireAsync((long)Math.Round(ratePerSecond * warmUp.TotalSeconds), ratePerSecond, n => Trigger(-n));
            progress($"  warmed up for {warmUp.TotalSeconds} s");
        }

        var generator = new ProcessMeter(Environment.ProcessId);
        var (server0, generator0) = (Server.CpuSeconds(), generator.CpuSeconds());
        var submissions = (int)Math.Round(ratePerSecond * duration.TotalSeconds);
        var triggerMs = new ConcurrentBag<double>();
        await FireAsync(submissions, ratePerSecond, async n =>
        {
            var t0 = sentAt[n] = Stopwatch.GetTimestamp();
            await Trigger(n);
            triggerMs.Add(Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
        });

        var expected = (long)submissions * viewers;
        var grace = Stopwatch.StartNew();
        while (Interlocked.Read(ref received) < expected && grace.Elapsed < TimeSpan.FromSeconds(15))
            await Task.Delay(50); // waiting for stragglers, bounded; lost events are reported, not hidden
        var cpu = (Server.CpuSeconds() - server0, generator.CpuSeconds() - generator0);

        stopPinging.Cancel();
        await pinging;
        await Task.WhenAll(connections.Where(c => c is not null).Select(c => c.DisposeAsync().AsTask()));
        var all = perViewer.SelectMany(l => l).ToList();
        return new FanOutResult(viewers, submissions, expected, Interlocked.Read(ref received), Distribution.Of(all), cpu, Distribution.Of(triggerMs.ToArray()));
    }

    /// <summary>Starts submissions 1..count at a steady rate without waiting for each, then waits for all of them.</summary>
    internal static async Task FireAsync(long count, double ratePerSecond, Func<long, Task> submit)
    {
        var pending = new List<Task>();
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1 / ratePerSecond));
        for (long n = 1; n <= count; n++)
        {
            await timer.WaitForNextTickAsync();
            pending.Add(submit(n));
        }
        await Task.WhenAll(pending);
    }
}
