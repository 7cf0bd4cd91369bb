namespace LiveBoard.Web.Live;

/// <summary>
/// Runs a piece of work after each request, but never twice at once: requests that arrive while it runs are folded
/// into one more run. A burst of a hundred events therefore costs one run in flight plus one queued — the rule
/// every follower of the change feed needs so that a busy evening does not queue hundreds of reloads.
/// </summary>
public sealed class Coalescer(Func<Task> work, Func<Exception, Task> onError)
{
    private int _running;
    private volatile bool _dirty;

    public void Request()
    {
        _dirty = true;
        if (Interlocked.CompareExchange(ref _running, 1, 0) == 0)
            _ = RunAsync();
    }

    private async Task RunAsync()
    {
        try
        {
            while (_dirty)
            {
                _dirty = false;
                await work();
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
