using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;

namespace LiveBoard.Web.Tests;

/// <summary>A real LiveBoard on Kestrel (loopback) with one wall screen whose display key opens /hubs/live.</summary>
public abstract class LiveHubHost : IAsyncLifetime
{
    protected LiveBoardHost Host { get; } = new();
    protected Uri Root { get; private set; } = default!;
    protected ScreenWithKey Led { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Root = Host.Start();
        Led = await Host.Service<DisplayService>().CreateAsync(new NewScreen("LED 屏", "led"));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();
}
