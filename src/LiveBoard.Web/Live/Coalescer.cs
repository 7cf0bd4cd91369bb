namespace LiveBoard.Web.Live;

/// <summary>
/// Runs a piece of work after each request, but never twice at once: requests that arrive while it runs are folded
/// into one more run. A burst of a hundred events therefore costs one run in flight plus one queued — the rule
/// every follower of the change feed needs so that a busy evening does not queue hundreds of reloads.
/// <paramref name="pause"/> is a rest after each run before the next one starts: under a stream of events the work then
/// runs at most once per pause instead of back to back (the last run still follows the last request).
/// <paramref name="onRequestersThread"/> queues a run to the requesting thread's own work queue, to start as soon as
/// that thread finishes what it is doing, instead of behind everything in the thread pool's global queue.
/// </summary>
public sealed class Coalescer(Func<Task> work, Func<Exception, Task> onError, TimeSpan pause = default, bool onRequestersThread = false)
{
    private int _running;
    private volatile bool _dirty;

    public void Request()
    {
        _dirty = true;
        // On the thread pool, never inline: Request() is called by whoever publishes a change (a writer holding the
        // write lock), and the work (a screen's reload) may run synchronously for a long time before its first await.
        if (Interlocked.CompareExchange(ref _running, 1, 0) != 0) return;
        if (onRequestersThread) ThreadPool.UnsafeQueueUserWorkItem(static self => _ = self.RunAsync(), this, preferLocal: true);
        else _ = Task.Run(RunAsync);
    }

    /// <summary>No run in progress or requested.</summary>
    public bool Idle => Volatile.Read(ref _running) == 0 && !_dirty;

    /// <summary>Completes once no run is in progress or requested. Polls: meant for shutting down.</summary>
    public async Task WhenIdleAsync(CancellationToken ct = default)
    {
        while (!Idle) await Task.Delay(10, ct);
    }

    private async Task RunAsync()
    {
        try
        {
            while (_dirty)
            {
                _dirty = false;
                await work();
                if (pause > TimeSpan.Zero) await Task.Delay(pause);
            }
        }
        catch (Exception ex)
        {
            await onError(ex);
        }
        finally
        {
            Interlocked.Exchange(ref _running, 0);
            // A request that arrived between the last check and the reset must not be lost.
            if (_dirty && Interlocked.CompareExchange(ref _running, 1, 0) == 0)
                _ = RunAsync();
        }
    }
}
