using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Inspection;

namespace LiveBoard.Web.Tests;

/// <summary>
/// The base for API tests: a fresh real app per test on Kestrel (127.0.0.1) over its own SQLite file, with the campaign
/// clock pinned to the demo's first day, and helpers to sign in demo accounts and open the database.
/// </summary>
public abstract class RunningAppTests : IAsyncLifetime
{
    public const string Day1 = "2023-07-29";

    protected LiveBoardHost Host { get; } = new(settings: new() { [CampaignClock.Setting] = Day1 });

    protected Uri Root { get; private set; } = default!;

    public Task InitializeAsync()
    {
        Root = Host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    protected Task<HttpClient> ApiAs(string user) => ApiClients.SignedInAsync(Root, user, DemoAccounts.DefaultPassword);

    protected Task<LiveBoardDbContext> Db() => Host.DbAsync();
}
