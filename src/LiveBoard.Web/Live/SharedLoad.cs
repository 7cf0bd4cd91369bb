namespace LiveBoard.Web.Live;

/// <summary>
/// Lets concurrent readers share one load instead of each running its own. After a change, every open screen (and every
/// hub client connecting at once) asks for the same state within milliseconds; loading for each, 20 screens would run
/// 20 identical rounds of queries and hold 20 copies of the same model in memory. A caller never gets a result older
/// than its call: while a load runs, new callers wait for the next one, which starts only when the running one ends;
/// all of them share it.
/// </summary>
public sealed class SharedLoad<T>(Func<Task<T>> load)
{
    private readonly Lock _gate = new();
    private bool _busy;
    private TaskCompletionSource<T>? _running;
    private long _runningSince; // Stopwatch timestamp: when the running load started
    private TaskCompletionSource<T>? _queued;

    public Task<T> GetAsync(CancellationToken ct = default) => GetAsync(System.Diagnostics.Stopwatch.GetTimestamp(), ct);

    /// <summary>
    /// A result from a load that started after <paramref name="startedAfter"/> (a <see cref="System.Diagnostics.Stopwatch"/>
    /// timestamp). A caller that knows when the change it must see was announced (it was committed before that) can join
    /// a load already running since then instead of queuing behind it: after a change the hub's ranking and the wall
    /// displays both ask for the standings within microseconds, and the second would otherwise wait for two loads.
    /// </summary>
    public Task<T> GetAsync(long startedAfter, CancellationToken ct = default)
    {
        TaskCompletionSource<T> mine;
        lock (_gate)
        {
            if (_busy)
            {
                if (_runningSince >= startedAfter) return _running!.Task.WaitAsync(ct);
                _queued ??= new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
                return _queued.Task.WaitAsync(ct);
            }
            _busy = true;
            mine = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            _running = mine;
            _runningSince = System.Diagnostics.Stopwatch.GetTimestamp();
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
                _running = next;
                _runningSince = System.Diagnostics.Stopwatch.GetTimestamp();
                if (next is null) _busy = false;
            }
        }
    }
}
