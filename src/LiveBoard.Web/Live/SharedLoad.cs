namespace LiveBoard.Web.Live;

/// <summary>
/// Lets concurrent readers share one load instead of each running its own. After a change, every open screen (and every
/// hub client connecting at once) asks for the same state within milliseconds; with 20 screens that was 20 identical
/// rounds of queries and 20 copies of the same model in memory. A caller never gets a result older than its call: while
/// a load runs, new callers wait for the next one, which starts only when the running one ends; all of them share it.
/// </summary>
public sealed class SharedLoad<T>(Func<Task<T>> load)
{
    private readonly Lock _gate = new();
    private bool _busy;
    private TaskCompletionSource<T>? _queued;

    public Task<T> GetAsync(CancellationToken ct = default)
    {
        TaskCompletionSource<T> mine;
        lock (_gate)
        {
            if (_busy)
            {
                _queued ??= new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _queued.Task.WaitAsync(ct);
            }
            _busy = true;
            mine = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        _ = RunAsync(mine);
        return mine.Task.WaitAsync(ct);
    }

    private async Task RunAsync(TaskCompletionSource<T> waiting)
    {
        for (var next = waiting; next is not null;)
        {
            try
            {
                // Shared by several callers, so no one caller's cancellation may stop it.
                next.SetResult(await load());
            }
            catch (Exception ex)
            {
                next.SetException(ex);
            }
            lock (_gate)
            {
                next = _queued;
                _queued = null;
                if (next is null) _busy = false;
            }
        }
    }
}
