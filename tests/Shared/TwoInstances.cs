using LiveBoard.Web.Data;

namespace LiveBoard.Testing;

/// <summary>
/// Two LiveBoard instances as a load balancer would have them: one PostgreSQL database, one Redis, each its own
/// Kestrel on 127.0.0.1, its own services, caches, feed and hub. A starts first (migrates and seeds), then B.
/// </summary>
public sealed class TwoInstances : IAsyncDisposable
{
    private TwoInstances(LiveBoardHost a, Uri rootA, LiveBoardHost b, Uri rootB) => (A, RootA, B, RootB) = (a, rootA, b, rootB);

    public LiveBoardHost A { get; }
    public Uri RootA { get; }
    public LiveBoardHost B { get; }
    public Uri RootB { get; }

    /// <param name="redis">host:port of the Redis both use; null: the private one of the test run</param>
    public static Task<TwoInstances> StartAsync(string? redis = null, Dictionary<string, string?>? settings = null)
    {
        var shared = new Dictionary<string, string?>(settings ?? [])
        {
            ["ConnectionStrings:Redis"] = redis ?? TestDatabase.Redis,
        };
        var database = TestDatabase.NewPostgreSqlName();
        var a = new LiveBoardHost(database, shared, provider: DatabaseProvider.PostgreSQL);
        var rootA = a.Start();
        var b = new LiveBoardHost(database, shared, provider: DatabaseProvider.PostgreSQL);
        var rootB = b.Start();
        return Task.FromResult(new TwoInstances(a, rootA, b, rootB));
    }

    public async ValueTask DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
    }
}
