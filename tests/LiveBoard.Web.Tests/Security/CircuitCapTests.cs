using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using Microsoft.Extensions.Configuration;
using LiveBoard.Web.Security;
using LiveBoard.Web.Data;

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
    private async Task<ClientWebSocket> OpenAsync(HttpClient client, string? cookie = null)
    {
        using var negotiated = await NegotiateAsync(client);
        Assert.Equal(HttpStatusCode.OK, negotiated.StatusCode);
        var token = (await negotiated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();
        var socket = new ClientWebSocket();
        if (cookie is not null) socket.Options.SetRequestHeader("Cookie", cookie);
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

        // The refused page is in the refusal audit, written by the stopping server if its minute had not ended yet.
        await Host.DisposeAsync();
        await using var db = Host.OpenDatabase();
        var refusals = await RefusalTotals.ForAsync(db, "127.0.0.1");
        Assert.Equal(1, refusals.Count);
        Assert.Equal(1, refusals.Of(RefusalReasons.TooManyPages));
        Assert.Equal(["/_blazor/negotiate"], refusals.Paths);
        Assert.Equal(0, (await RefusalTotals.ForAsync(db, "127.0.0.9")).Count);
    }

    // A control room: a dozen wall screens behind one router's address. Each screen opened its page with its key, so
    // its circuits do not use up the address's share, while a stranger at that address (or a made-up key) still does.
    [Fact]
    public async Task Wall_screens_opened_with_their_key_are_not_refused_at_a_full_address_but_strangers_and_wrong_keys_are()
    {
        using var stranger = new HttpClient { BaseAddress = Root };
        var open = new List<ClientWebSocket>();
        for (var i = 0; i < 3; i++) open.Add(await OpenAsync(stranger));
        using (var full = await NegotiateAsync(stranger)) Assert.Equal(HttpStatusCode.TooManyRequests, full.StatusCode);

        var key = DemoScreen.Key(new ConfigurationBuilder().Build());
        using var screen = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = Root };
        using (var page = await screen.GetAsync(DisplayService.Url(DemoScreen.Slug, key)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            // One for the circuit, one for the screen's own page (a reload without the key in the address), both HttpOnly.
            var set = page.Headers.GetValues("Set-Cookie").Where(c => c.StartsWith(CircuitCap.ScreenCookie + "=", StringComparison.Ordinal)).ToList();
            Assert.Equal(["path=/_blazor", "path=/display/demo"], set.Select(c => c.Split("; ").Single(p => p.StartsWith("path=", StringComparison.OrdinalIgnoreCase)).ToLowerInvariant()).Order());
            Assert.All(set, c => Assert.Contains("httponly", c, StringComparison.OrdinalIgnoreCase));
        }
        var cookie = $"{CircuitCap.ScreenCookie}={Uri.EscapeDataString(key)}";
        for (var i = 0; i < 4; i++) open.Add(await OpenAsync(screen, cookie));
        Assert.All(open, s => Assert.Equal(WebSocketState.Open, s.State));

        using var forger = new HttpClient { BaseAddress = Root };
        forger.DefaultRequestHeaders.Add("Cookie", $"{CircuitCap.ScreenCookie}=not-a-key");
        using (var refused = await NegotiateAsync(forger)) Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        foreach (var s in open) s.Dispose();
    }
}
