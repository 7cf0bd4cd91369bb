using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests;

/// <summary>
/// A display key is looked up in the database once, not on every connection (a venue's walls reconnect all at once
/// after a restart), and forgotten the moment a screen's access changes anywhere: the change feed carries it.
/// </summary>
public sealed class DisplayKeyCacheTests : LiveHubHost
{
    private sealed class CountingFactory(IDbContextFactory<LiveBoardDbContext> inner) : IDbContextFactory<LiveBoardDbContext>
    {
        public int Created;

        public LiveBoardDbContext CreateDbContext()
        {
            Interlocked.Increment(ref Created);
            return inner.CreateDbContext();
        }

        public Task<LiveBoardDbContext> CreateDbContextAsync(CancellationToken ct = default)
        {
            Interlocked.Increment(ref Created);
            return inner.CreateDbContextAsync(ct);
        }
    }

    [Fact]
    public async Task A_key_is_read_from_the_database_once_and_a_rotation_elsewhere_makes_the_old_key_fail_at_once()
    {
        var database = new CountingFactory(Host.Service<IDbContextFactory<LiveBoardDbContext>>());
        // This instance's service and the host's (another instance on the same feed and database).
        using var here = new DisplayService(database, Host.Service<IChangeFeed>(), TimeProvider.System);

        for (var i = 0; i < 3; i++) Assert.Equal("led", (await here.AuthoriseAnyAsync(Led.Key))?.Slug);
        Assert.Equal("led", (await here.AuthoriseAsync("led", Led.Key))?.Slug);
        Assert.Null(await here.AuthoriseAsync("other-screen", Led.Key));
        Assert.Equal(1, database.Created);

        var rotated = await Host.Service<DisplayService>().RotateKeyAsync("led");

        Assert.Null(await here.AuthoriseAnyAsync(Led.Key));
        Assert.Equal("led", (await here.AuthoriseAnyAsync(rotated!.Key))?.Slug);
        // An unknown key is asked for every time: guesses are not remembered.
        Assert.Null(await here.AuthoriseAnyAsync(Led.Key));
        Assert.Equal(4, database.Created);

        await Host.Service<DisplayService>().RevokeAsync("led");
        Assert.Null(await here.AuthoriseAnyAsync(rotated.Key));
    }
}
