using System.Diagnostics;

namespace LiveBoard.Testing;

/// <summary>
/// Waits for a condition that another thread, process or machine makes true (a disconnect SignalR handles after the
/// client returns, a message crossing Redis, a health check's next probe), polling it until a deadline; never a sleep
/// standing in for the event. On timeout it says what was awaited.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    public static Task Until(Func<bool> condition, TimeSpan? wait = null, string? what = null) =>
        Until(() => Task.FromResult(condition()), wait, what);

    public static async Task Until(Func<Task<bool>> condition, TimeSpan? wait = null, string? what = null)
    {
        var limit = wait ?? DefaultWait;
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (!await condition())
        {
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"{what ?? "the condition"} not met within {limit.TotalSeconds:0.#} s");
            await Task.Delay(20);
        }
    }
}
