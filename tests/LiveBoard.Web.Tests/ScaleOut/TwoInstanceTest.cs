using LiveBoard.Testing;

namespace LiveBoard.Web.Tests.ScaleOut;

/// <summary>A test class whose every test gets its own pair of instances (<see cref="TwoInstances"/>), when the scale-out services run.</summary>
public abstract class TwoInstanceTest : IAsyncLifetime
{
    protected TwoInstances Pair { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        // Without PostgreSQL and Redis the tests say they are skipped ([ScaleOutFact]); nothing to start.
        if (TestDatabase.PostgreSqlServer is null || TestDatabase.Redis is null) return;
        Pair = await TwoInstances.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (Pair is not null) await Pair.DisposeAsync();
    }
}
