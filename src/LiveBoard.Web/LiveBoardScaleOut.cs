using LiveBoard.Web.Data;
using LiveBoard.Web.Live;
using Microsoft.AspNetCore.DataProtection;
using StackExchange.Redis;

namespace LiveBoard.Web;

/// <summary>
/// What lets several instances serve as one: the keys that protect cookies and tokens in the shared database (always,
/// so a restart keeps everyone signed in too), and, when <c>ConnectionStrings:Redis</c> is set, the change feed, the
/// hub's backplane and every cache notice through Redis. Without Redis everything stays in this process.
/// </summary>
public static class LiveBoardScaleOut
{
    public const string RedisConnectionName = "Redis";

    public static WebApplicationBuilder AddLiveBoardScaleOut(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        // One application name: instances behind one balancer must derive the same protectors from the shared keys.
        services.AddDataProtection().SetApplicationName("LiveBoard").PersistKeysToDbContext<LiveBoardDbContext>();

        if (builder.Configuration.GetConnectionString(RedisConnectionName) is not { Length: > 0 } redis) return builder;
        var options = RedisOptions(redis);
        // Not connected here: an instance starts, and serves its own screens, while Redis is away; it catches up when it comes.
        services.AddSingleton<IConnectionMultiplexer>(sp => ConnectionMultiplexer.Connect(options));
        services.AddHealthChecks().AddCheck<Operations.RedisHealthCheck>("redis", tags: [Operations.HealthEndpoints.ReadyTag]);
        services.AddSingleton<RedisChangeFeed>();
        services.AddSingleton<IChangeFeed>(sp => sp.GetRequiredService<RedisChangeFeed>());
        services.AddHostedService<RedisNotices>();
        services.AddSignalR().AddStackExchangeRedis(o =>
        {
            o.Configuration = RedisOptions(redis);
            o.Configuration.ChannelPrefix = RedisChannel.Literal("liveboard-hub");
        });
        return builder;
    }

    private static ConfigurationOptions RedisOptions(string connection)
    {
        var options = ConfigurationOptions.Parse(connection);
        // Keep trying instead of failing the start or giving up: Redis may restart under a running fleet.
        options.AbortOnConnectFail = false;
        options.ReconnectRetryPolicy = new LinearRetry(1000);
        // A message published while Redis is away fails at once instead of waiting to go out late: a late one could
        // reach a client after the resync has already replayed the same change from the database (twice, or out of order).
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return options;
    }
}

/// <summary>
/// Starts the shared feed, and tells the other instances when this one saved rows they keep copies of (campaign set-up,
/// accounts: <see cref="CachedRows"/>), so they drop theirs. After Redis comes back every copy is dropped: a notice may
/// have been lost meanwhile.
/// </summary>
internal sealed partial class RedisNotices(RedisChangeFeed feed, IConnectionMultiplexer redis, CachedRows rows, ILogger<RedisNotices> log)
    : IHostedService
{
    private static readonly RedisChannel Channel = RedisChannel.Literal("liveboard:rows");
    private readonly string _instance = Guid.NewGuid().ToString("N");
    private ChannelMessageQueue? _queue;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await feed.StartAsync();
        _queue = await redis.GetSubscriber().SubscribeAsync(Channel);
        _queue.OnMessage(message =>
        {
            var text = (string?)message.Message ?? "";
            var (from, name) = (text.Split(' ', 2)[0], text.Split(' ', 2)[^1]);
            if (from != _instance && rows.All.FirstOrDefault(g => g.Name == name) is { } generation) generation.BumpFromElsewhere();
        });
        foreach (var generation in rows.All) generation.Bumped += Tell;
        redis.ConnectionRestored += DropAll;
    }

    private void Tell(RowsGeneration generation)
    {
        try
        {
            redis.GetSubscriber().Publish(Channel, $"{_instance} {generation.Name}", CommandFlags.FireAndForget);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogNoticeFailed(log, ex, generation.Name);
        }
    }

    private void DropAll(object? sender, ConnectionFailedEventArgs e)
    {
        foreach (var generation in rows.All) generation.BumpFromElsewhere();
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        redis.ConnectionRestored -= DropAll;
        foreach (var generation in rows.All) generation.Bumped -= Tell;
        try
        {
            if (_queue is not null) await _queue.UnsubscribeAsync();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException or ObjectDisposedException)
        {
            // Redis is away: the subscription went with the connection.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Other instances could not be told that {Rows} changed")]
    private static partial void LogNoticeFailed(ILogger logger, Exception exception, string rows);
}
