using LiveBoard.Core;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveBoard.Web.Tests.Security;

/// <summary>
/// The last minute's refused attempts are written when the server stops. A host can be stopped twice at once (the app's
/// own Run() reacts to the stop with a StopAsync of its own and disposes every service as soon as that returns): the
/// write must be finished before either stop returns, or it runs against disposed services and the rows are lost.
/// </summary>
public sealed class RefusedAttemptsWriterTests
{
    [Fact]
    public async Task Two_stops_at_once_both_wait_for_the_final_write_and_the_refused_attempts_are_stored()
    {
        var options = new DbContextOptionsBuilder<LiveBoardDbContext>().UseSqlite($"Data Source={TempPaths.NewDatabase()}").Options;
        await using (var db = new LiveBoardDbContext(options)) await LiveBoardStorage.MigrateAsync(db);
        var refusals = new RefusedAttempts(TimeProvider.System);
        refusals.Record("192.0.2.7", "/account/login", RefusalReasons.Antiforgery, "reporter-hure", Channels.Web);
        var factory = new GatedFactory(options);
        var writer = new RefusedAttemptsWriter(refusals, factory, TimeProvider.System, NullLogger<RefusedAttemptsWriter>.Instance);
        await writer.StartAsync(CancellationToken.None);

        var first = writer.StopAsync(CancellationToken.None);
        await factory.Entered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var second = writer.StopAsync(CancellationToken.None);
        Assert.False(second.IsCompleted, "the second stop returned while the final write was still running");

        factory.Release.SetResult();
        await Task.WhenAll(first, second).WaitAsync(TimeSpan.FromSeconds(30));
        await using var check = new LiveBoardDbContext(options);
        var refused = await RefusalTotals.ForAsync(check, "192.0.2.7");
        Assert.Equal(1, refused.Of(RefusalReasons.Antiforgery));
        Assert.Equal(1, refused.Rows);
    }

    /// <summary>Holds the writer inside its write until the test lets it go.</summary>
    private sealed class GatedFactory(DbContextOptions<LiveBoardDbContext> options) : IDbContextFactory<LiveBoardDbContext>
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LiveBoardDbContext CreateDbContext() => new(options);

        public async Task<LiveBoardDbContext> CreateDbContextAsync(CancellationToken cancellationToken = default)
        {
            Entered.TrySetResult();
            await Release.Task;
            return new LiveBoardDbContext(options);
        }
    }
}
