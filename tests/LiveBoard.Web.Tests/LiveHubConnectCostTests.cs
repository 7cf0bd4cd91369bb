using System.Security.Cryptography;
using LiveBoard.Web.Live;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveBoard.Web.Tests;

[CollectionDefinition(nameof(AloneInProcess), DisableParallelization = true)]
public sealed class AloneInProcess;

/// <summary>
/// What connecting a wall to /hubs/live costs the server. Alone in the test process: it watches every exception thrown in
/// it, and another test's would be counted.
/// </summary>
[Collection(nameof(AloneInProcess))]
public sealed class LiveHubConnectCostTests : LiveHubHost
{
    [Fact]
    public async Task A_wall_connecting_with_its_display_key_costs_the_server_no_exception()
    {
        // The reader policy also accepts signed-in bearer tokens; a display key must not be handed to that decoder,
        // which fails on it with an exception (thousands a second when a venue's walls reconnect at once).
        var thrown = new List<string>();
        void Count(object? sender, System.Runtime.ExceptionServices.FirstChanceExceptionEventArgs e)
        {
            if (e.Exception is FormatException or CryptographicException)
                lock (thrown) thrown.Add(e.Exception.GetType().Name + ": " + e.Exception.Message);
        }
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(Root, LiveHub.Path.TrimStart('/') + "?topics=figures"),
                o => o.AccessTokenProvider = () => Task.FromResult<string?>(Led.Key))
            .Build();
        var snapshot = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<LiveSnapshot>("Snapshot", _ => snapshot.TrySetResult());

        AppDomain.CurrentDomain.FirstChanceException += Count;
        try
        {
            await hub.StartAsync();
            await snapshot.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        finally
        {
            AppDomain.CurrentDomain.FirstChanceException -= Count;
        }
        lock (thrown) Assert.Empty(thrown);
    }
}
