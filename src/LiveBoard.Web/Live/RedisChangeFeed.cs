using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using LiveBoard.Core;
using LiveBoard.Core.Figures;
using StackExchange.Redis;

namespace LiveBoard.Web.Live;

/// <summary>
/// The change feed shared by every instance through Redis pub/sub (<c>ConnectionStrings:Redis</c>). A change is handed to
/// this instance's followers at once, as in one process, and published for the others; each instance hands on what the
/// others published, each change once and in the order its writer committed it.
/// </summary>
/// <remarks>
/// Pub/sub keeps nothing for a subscriber that is away, so what an instance missed is made good from the database:
/// after its connection to Redis comes back, or when another instance's numbered messages (and its heartbeat, every
/// <see cref="HeartbeatInterval"/>) show a gap, followers get a <see cref="FeedResynced"/> and reload. Two instances may
/// commit versions of the same figure in quick succession and their messages cross; a figure version older than one
/// already handed on is dropped, so followers see each figure's versions in commit order.
/// </remarks>
public sealed partial class RedisChangeFeed : IChangeFeed, IAsyncDisposable
{
    public static readonly RedisChannel Channel = RedisChannel.Literal("liveboard:feed");
    public static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(5);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly InProcessChangeFeed _local;
    private readonly IConnectionMultiplexer _redis;
    private readonly TimeProvider _clock;
    private readonly ILogger<RedisChangeFeed> _log;
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, long> _lastSeen = new();
    private readonly ConcurrentDictionary<(int Campaign, string District, string Indicator), int> _figureVersions = new();
    // The events this instance published itself, so that followers on this instance can tell them from the others'.
    private readonly ConditionalWeakTable<CampaignEvent, object> _committedHere = [];
    private readonly Lock _publishing = new();
    private readonly CancellationTokenSource _stop = new();
    private ChannelMessageQueue? _queue;
    private Task _heartbeat = Task.CompletedTask;
    private long _sequence;
    private int _disposed;

    public RedisChangeFeed(IConnectionMultiplexer redis, TimeProvider clock, ILoggerFactory loggers)
    {
        _redis = redis;
        _clock = clock;
        _log = loggers.CreateLogger<RedisChangeFeed>();
        _local = new InProcessChangeFeed(loggers.CreateLogger<InProcessChangeFeed>());
    }

    /// <summary>Subscribes to the shared channel and starts the heartbeat; until then only this instance's changes flow.</summary>
    public async Task StartAsync()
    {
        _redis.ConnectionRestored += OnConnectionRestored;
        _queue = await _redis.GetSubscriber().SubscribeAsync(Channel);
        // One message at a time, in the order Redis delivered them.
        _queue.OnMessage(OnMessageAsync);
        _heartbeat = BeatAsync(_stop.Token);
    }

    public int SubscriberCount => _local.SubscriberCount;

    public IDisposable Subscribe(Func<CampaignEvent, Task> handler) => _local.Subscribe(handler);

    public bool CommittedHere(CampaignEvent change) => _committedHere.TryGetValue(change, out _);

    // This instance's followers wait for the end of its own writes; another instance's changes arrive one message each, and
    // its followers reload as the coalescer allows (at most one load in flight and one queued).
    public void WrittenTogether(IReadOnlyList<CampaignEvent> changes) => _local.WrittenTogether(changes);

    public bool EndsWrite(CampaignEvent change) => _local.EndsWrite(change);

    public async Task PublishAsync(CampaignEvent change, CancellationToken ct = default)
    {
        _committedHere.AddOrUpdate(change, this);
        if (change is FigureChanged figure) Supersedes(figure);
        await _local.PublishAsync(change, ct);
        // Not awaited: the writer that committed the change (FigureService's one writer loop) would otherwise wait a Redis
        // round trip per change before answering and starting its next batch. The message is on its way, in order.
        _ = SendAsync(change);
    }

    private async Task SendAsync(CampaignEvent change)
    {
        var type = change.GetType();
        var body = JsonSerializer.SerializeToElement(change, type, Json);
        Task sent;
        try
        {
            // Numbered and handed to the connection in one step, so the messages go out in the order of their numbers
            // (several writers publish at once) and a heartbeat never announces a number whose message is not out yet.
            lock (_publishing)
                sent = _redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Envelope(_instance, ++_sequence, TypeName(type), body), Json));
            await sent;
        }
        catch (Exception ex)
        {
            // Committed and shown here; the other instances see the gap in this instance's numbers (at the latest with
            // its next heartbeat) and reload. Nobody awaits this task, so every failure is logged here.
            LogPublishFailed(_log, ex);
        }
    }

    private static string TypeName(Type type) => $"{type.FullName}, {type.Assembly.GetName().Name}";

    private async Task OnMessageAsync(ChannelMessage message)
    {
        Envelope? envelope;
        try
        {
            envelope = JsonSerializer.Deserialize<Envelope>((string)message.Message!, Json);
        }
        catch (JsonException ex)
        {
            LogUnreadable(_log, ex);
            return;
        }
        if (envelope is null || envelope.Instance == _instance) return;

        var previous = _lastSeen.GetValueOrDefault(envelope.Instance);
        var heartbeat = envelope.Type is null || envelope.Event is null;
        // A change carries its own number, a heartbeat the number of the last change sent before it.
        var expected = heartbeat ? previous : previous + 1;
        if (envelope.Sequence < expected || (!heartbeat && envelope.Sequence == previous)) return;
        _lastSeen[envelope.Instance] = envelope.Sequence;
        // The first message heard from an instance says nothing about what came before it; a jump after that is a loss.
        if (previous > 0 && envelope.Sequence > expected)
            await ResyncAsync($"{envelope.Sequence - expected} message(s) of another instance were lost");

        if (heartbeat) return;
        var body = envelope.Event!.Value;
        if (Type.GetType(envelope.Type!) is not { } type || !typeof(CampaignEvent).IsAssignableFrom(type))
        {
            LogUnknownType(_log, envelope.Type!);
            return;
        }
        if (body.Deserialize(type, Json) is not CampaignEvent change) return;
        if (change is FigureChanged figure && !Supersedes(figure)) return;
        await _local.PublishAsync(change);
    }

    /// <summary>Records a figure's version as handed on; false when a newer one already was.</summary>
    private bool Supersedes(FigureChanged figure)
    {
        var key = (figure.CampaignId, figure.DistrictCode, figure.IndicatorCode);
        while (true)
        {
            if (!_figureVersions.TryGetValue(key, out var seen))
            {
                if (_figureVersions.TryAdd(key, figure.Version)) return true;
                continue;
            }
            if (seen >= figure.Version) return false;
            if (_figureVersions.TryUpdate(key, figure.Version, seen)) return true;
        }
    }

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e)
    {
        if (e.ConnectionType != ConnectionType.Subscription) return;
        _ = ResyncAsync("the connection to Redis came back");
    }

    private Task ResyncAsync(string why)
    {
        LogResync(_log, why);
        return _local.PublishAsync(new FeedResynced(why, _clock.GetUtcNow()));
    }

    // Tells the others how far this instance's numbers went, so that a lost last message shows before the next change.
    private async Task BeatAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(HeartbeatInterval, _clock);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    Task sent;
                    lock (_publishing) sent = _redis.GetSubscriber().PublishAsync(Channel, JsonSerializer.Serialize(new Envelope(_instance, _sequence, null, null), Json));
                    await sent;
                }
                catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
                {
                    LogPublishFailed(_log, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Registered as itself and as IChangeFeed, so the container disposes it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _redis.ConnectionRestored -= OnConnectionRestored;
        await _stop.CancelAsync();
        await _heartbeat;
        try
        {
            if (_queue is not null) await _queue.UnsubscribeAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Redis is away: the subscription went with the connection.
        }
        _stop.Dispose();
    }

    /// <summary>One message on the channel: a change (Type and Event), or with neither a heartbeat.</summary>
    private sealed record Envelope(string Instance, long Sequence, string? Type, JsonElement? Event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A change could not be published to Redis; other instances will reload")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Followers reload from the database: {Why}")]
    private static partial void LogResync(ILogger logger, string why);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message on the feed could not be read")]
    private static partial void LogUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A message on the feed names an unknown event type {Type}")]
    private static partial void LogUnknownType(ILogger logger, string type);
}
