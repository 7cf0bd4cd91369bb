using LiveBoard.Web.Features.Hub;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveBoard.Web.Tests;

/// <summary>What every test of /hubs/live needs from the real SignalR client.</summary>
public static class LiveHubClients
{
    /// <summary>Completes with the first message of <paramref name="method"/> that matches (register before starting).</summary>
    public static Task<T> Next<T>(this HubConnection hub, string method, Func<T, bool>? match = null)
    {
        var received = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<T>(method, m => { if (match?.Invoke(m) ?? true) received.TrySetResult(m); });
        return received.Task;
    }

    /// <summary>
    /// Starts the connection and returns the Snapshot the hub sends on connect. StartAsync returns once the handshake
    /// is done, before the hub's OnConnectedAsync has put the connection in its topics' groups: a change made in that
    /// gap is in the snapshot, not sent as a message. A client that waits for its snapshot is sure to be sent every
    /// later change, as docs/live-hub.md tells integrators.
    /// </summary>
    public static async Task<LiveSnapshot> StartCurrentAsync(this HubConnection hub, TimeSpan? wait = null)
    {
        var snapshot = hub.Next<LiveSnapshot>("Snapshot");
        await hub.StartAsync();
        return await snapshot.WaitAsync(wait ?? TimeSpan.FromSeconds(10));
    }
}
