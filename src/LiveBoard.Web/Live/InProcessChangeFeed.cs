using System.Runtime.CompilerServices;
using LiveBoard.Core;

namespace LiveBoard.Web.Live;

/// <summary>Hands each event to every current subscriber in this process.</summary>
public sealed partial class InProcessChangeFeed(ILogger<InProcessChangeFeed> log) : IChangeFeed
{
    private readonly Subscribers<CampaignEvent> _subscribers = new();
    // Changes that more of the same write follow; weak, so an event is forgotten with the event.
    private readonly ConditionalWeakTable<CampaignEvent, object> _notLast = [];

    public int SubscriberCount => _subscribers.Count;

    public async Task PublishAsync(CampaignEvent change, CancellationToken ct = default)
    {
        foreach (var handler in _subscribers.Current)
        {
            try
            {
                await handler(change);
            }
            catch (Exception ex)
            {
                // One broken screen must not keep the change from the others.
                LogSubscriberFailed(log, ex, change.GetType().Name);
            }
        }
    }

    public IDisposable Subscribe(Func<CampaignEvent, Task> handler) => _subscribers.Add(handler);

    public void WrittenTogether(IReadOnlyList<CampaignEvent> changes)
    {
        for (var i = 0; i < changes.Count - 1; i++) _notLast.AddOrUpdate(changes[i], this);
    }

    public bool EndsWrite(CampaignEvent change) => !_notLast.TryGetValue(change, out _);

    [LoggerMessage(Level = LogLevel.Error, Message = "A subscriber failed to handle {Event}")]
    private static partial void LogSubscriberFailed(ILogger logger, Exception exception, string @event);
}
