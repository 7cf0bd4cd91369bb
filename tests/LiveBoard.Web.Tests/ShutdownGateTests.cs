using System.Net;
using LiveBoard.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiveBoard.Web.Tests;

/// <summary>
/// A restart during the evening meeting: once the server is stopping, screens and hub clients that reconnect must be
/// sent on (to the new server) rather than given a connection the old one no longer closes, which held every stop for
/// the 30 s shutdown timeout (bench wave 2, reconnect storm).
/// </summary>
public sealed class ShutdownGateTests
{
    [Fact]
    public async Task While_the_server_stops_new_hub_and_circuit_connections_are_refused_and_ordinary_requests_still_answered()
    {
        var slow = new SlowToStop();
        await using var host = new LiveBoardHost(services: s => s.AddSingleton<IHostedService>(slow));
        var root = host.Start();
        using var http = new HttpClient { BaseAddress = root };
        const string HubNegotiate = "hubs/live/negotiate?negotiateVersion=1";
        const string CircuitNegotiate = "_blazor/negotiate?negotiateVersion=1";
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, (await http.PostAsync(HubNegotiate, null)).StatusCode);
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, (await http.PostAsync(CircuitNegotiate, null)).StatusCode);

        // What SIGTERM does: the application stops, hosted services stop one by one (this one slowly), and Kestrel,
        // stopped last, still accepts meanwhile.
        var stopping = Task.Run(() => host.Service<IHostApplicationLifetime>().StopApplication());
        await slow.Stopping.Task.WaitAsync(TimeSpan.FromSeconds(30));
        try
        {
            var hub = await http.PostAsync(HubNegotiate, null);
            var circuit = await http.PostAsync(CircuitNegotiate, null);
            var health = await http.GetAsync("healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, hub.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(1), hub.Headers.RetryAfter?.Delta);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, circuit.StatusCode);
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }
        finally
        {
            slow.Release.TrySetResult();
            await stopping;
        }
    }

    /// <summary>A hosted service whose stop waits for the test: the window in which the server is stopping but serving.</summary>
    private sealed class SlowToStop : IHostedService
    {
        public TaskCompletionSource Stopping { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public async Task StopAsync(CancellationToken cancellationToken)
        {
            Stopping.TrySetResult();
            await Release.Task.WaitAsync(TimeSpan.FromSeconds(60), CancellationToken.None);
        }
    }
}
