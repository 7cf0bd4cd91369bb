using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Security;

namespace LiveBoard.Web.Tests.Security;

/// <summary>Live page sessions per client address, counted on the real /_blazor endpoint of the real app.</summary>
public sealed class CircuitCapTests : IAsyncLifetime
{
    private LiveBoardHost Host { get; } = new(settings: new() { ["LiveBoard:Circuits:PerClient"] = "3" });

    private Uri Root { get; set; } = default!;

    public Task InitializeAsync()
    {
        Root = Host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private static async Task<HttpResponseMessage> NegotiateAsync(HttpClient client) =>
        await client.PostAsync("/_blazor/negotiate?negotiateVersion=1", null);

    /// <summary>A circuit's transport as the browser opens it: negotiate, then the WebSocket with the connection token.</summary>
    private async Task<ClientWebSocket> OpenAsync(HttpClient client)
    {
        using var negotiated = await NegotiateAsync(client);
        Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();
        var socket = new ClientWebSocket();
        var ws = new UriBuilder(Root) { Scheme = "ws", Path = "/_blazor", Query = "id=" + token }.Uri;
        await socket.ConnectAsync(ws, CancellationToken.None);
        return socket;
    }

    [Fact]
    public async Task Past_the_per_address_cap_a_new_session_is_refused_in_Chinese_while_other_addresses_and_open_sessions_go_on()
    {
        using var client = new HttpClient { BaseAddress = Root };
        var open = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++) open.Add(await OpenAsync(client));

        using var refused = await NegotiateAsync(client);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal(CircuitCap.RefusedMessage, await refused.Content.ReadAsStringAsync());
        Assert.NotNull(refused.Headers.RetryAfter);
        // The open sessions are untouched.
        Assert.All(open, s => Assert.Equal(WebSocketState.Open, s.State));

        // Another address is not affected.
        using var elsewhere = SignedInClients.FromAddress(Root, "127.0.0.9");
        using var other = await NegotiateAsync(elsewhere);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);

        // Closing one frees its place (the server sees the close a moment later: waited for, not slept on).
        await open[0].CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        var cap = Host.Service<CircuitCap>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (cap.Open > 2 && DateTime.UtcNow < deadline) await Task.Delay(50);
        using var again = await NegotiateAsync(client);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        foreach (var s in open) s.Dispose();
    }
}
