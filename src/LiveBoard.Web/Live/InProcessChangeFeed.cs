using System.Collections.Immutable;
using LiveBoard.Core;

namespace LiveBoard.Web.Live;

/// <summary>Hands each event to every current subscriber in this process.</summary>
public sealed class InProcessChangeFeed(ILogger<InProcessChangeFeed> log) : IChangeFeed
{
    private ImmutableArray<Func<CampaignEvent, Task>> _handlers = [];

    public int SubscriberCount => _handlers.Length;

    public async Task PublishAsync(CampaignEvent change, CancellationToken ct = default)
    {
        foreach (var handler in _handlers)
        {
            try
            {
                await handler(change);
            }
            catch (Exception ex)
            {
                // One broken screen must not keep the change from the others.
                log.LogError(ex, "A subscriber failed to handle {Event}", change.GetType().Name);
            }
        }
    }

    public IDisposable Subscribe(Func<CampaignEvent, Task> handler)
    {
        ImmutableInterlocked.Update(ref _handlers, (list, h) => list.Add(h), handler);
        return new Subscription(this, handler);
    }

    private sealed class Subscription(InProcessChangeFeed feed, Func<CampaignEvent, Task> handler) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
                ImmutableInterlocked.Update(ref feed._handlers, (list, h) => list.Remove(h), handler);
        }
    }
}
