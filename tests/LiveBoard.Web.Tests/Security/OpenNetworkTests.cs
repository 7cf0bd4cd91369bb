using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Security;

/// <summary>The real app on 127.0.0.1, tried as a stranger on the open network would try it.</summary>
public sealed class OpenNetworkTests : IAsyncLifetime
{
    private const string Listed = "https://screens.example.gov.cn";

    private LiveBoardHost Host { get; } = new(settings: new()
    {
        [CampaignClock.Setting] = RunningAppTests.Day1,
        ["LiveBoard:AllowedOrigins:0"] = Listed,
    });

    private Uri Root { get; set; } = default!;

    public Task InitializeAsync()
    {
        Root = Host.Start();
        return Task.CompletedTask;
    }

    [Fact]
    public async Task A_hub_negotiate_carries_the_security_headers_and_the_WebSockets_101_carries_none()
    {
        var screen = await Host.Service<LiveBoard.Web.Features.Display.DisplayService>().CreateAsync(new LiveBoard.Web.Features.Display.NewScreen("LED 屏", "led-headers"));
        var key = Uri.EscapeDataString(screen.Key);
        using (var client = new HttpClient { BaseAddress = Root })
        using (var negotiate = await client.PostAsync($"/hubs/live/negotiate?negotiateVersion=1&key={key}", null))
        {
            Assert.Equal(HttpStatusCode.OK, negotiate.StatusCode);
            Assert.Contains("default-src 'self'", string.Join(" ", negotiate.Headers.GetValues("Content-Security-Policy")));
            Assert.Equal("nosniff", Assert.Single(negotiate.Headers.GetValues("X-Content-Type-Options")));
        }
        // The switch to the WebSocket has no document to govern, and whatever is set on it stays in memory with the
        // connection for its whole life (a policy and its nonce, ~1.2 KB for each wall and hub viewer).
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await socket.ConnectAsync(new UriBuilder(Root) { Scheme = "ws", Path = "/hubs/live", Query = $"key={key}" }.Uri, CancellationToken.None);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        Assert.NotNull(socket.HttpResponseHeaders);
        Assert.DoesNotContain(socket.HttpResponseHeaders!.Keys, k => k is "Content-Security-Policy" or "Permissions-Policy" or "Referrer-Policy");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private async Task<HttpStatusCode> NegotiateAsync(string path, string? origin, string? forwardedProto = null)
    {
        using var client = new HttpClient { BaseAddress = Root };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{path}/negotiate?negotiateVersion=1");
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (forwardedProto is not null) request.Headers.Add("X-Forwarded-Proto", forwardedProto);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private async Task<string> UpgradeAsync(string path, string origin)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", origin);
        socket.Options.CollectHttpResponseDetails = true;
        var ws = new UriBuilder(Root) { Scheme = "ws", Path = path }.Uri;
        try
        {
            await socket.ConnectAsync(ws, CancellationToken.None);
            return "open";
        }
        catch (WebSocketException)
        {
            return ((int)socket.HttpStatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    [Fact]
    public async Task A_foreign_origin_gets_403_on_both_live_connections_before_any_circuit_or_hub_connection_exists()
    {
        var own = Root.GetLeftPart(UriPartial.Authority);
        foreach (var path in new[] { "/_blazor", "/hubs/live" })
        {
            Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(path, "https://evil.example"));
            Assert.Equal("403", await UpgradeAsync(path, "https://evil.example"));
            // A look-alike of our own origin is foreign too.
            Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync(path, own + ".evil.example"));
            // Our own and a listed origin pass the check (the hub then asks for a key or token: 401 without one).
            Assert.Equal(path == "/_blazor" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, await NegotiateAsync(path, own));
            Assert.Equal(path == "/_blazor" ? HttpStatusCode.OK : HttpStatusCode.Unauthorized, await NegotiateAsync(path, Listed));
        }
        // Behind the HTTPS proxy of docs/deploy.md: the page is https, the request reaches us as http.
        var secure = "https://" + Root.Authority;
        Assert.Equal(HttpStatusCode.OK, await NegotiateAsync("/_blazor", secure, forwardedProto: "https"));
        Assert.Equal(HttpStatusCode.Forbidden, await NegotiateAsync("/_blazor", "https://evil.example", forwardedProto: "https"));
        // No Origin: an LED controller or a script, not a page in someone's browser; the hub still asks it for a key.
        Assert.Equal(HttpStatusCode.Unauthorized, await NegotiateAsync("/hubs/live", null));
    }

    [Fact]
    public async Task Every_response_carries_the_content_security_policy_and_the_other_security_headers()
    {
        using var client = new HttpClient { BaseAddress = Root };
        foreach (var path in new[] { "/", "/account/login", "/api/v1/rankings", "/no-such-page" })
        {
            using var response = await client.GetAsync(path);
            var csp = string.Join(" ", response.Headers.GetValues("Content-Security-Policy"));
            Assert.Contains("default-src 'self'", csp);
            Assert.Matches("script-src 'self' 'nonce-[0-9A-F]{32}';", csp);
            Assert.Contains("object-src 'none'", csp);
            Assert.Contains("frame-ancestors 'self'", csp);
            Assert.DoesNotContain("unsafe-eval", csp);
            Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
            Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
            Assert.Contains("camera=()", Assert.Single(response.Headers.GetValues("Permissions-Policy")));
        }
        // The page's one inline script (the import map) carries this response's nonce, and a fresh one each time.
        using var first = await client.GetAsync("/");
        var html = await first.Content.ReadAsStringAsync();
        var nonce = System.Text.RegularExpressions.Regex.Match(string.Join(" ", first.Headers.GetValues("Content-Security-Policy")), "'nonce-([^']+)'").Groups[1].Value;
        Assert.Contains($"<script type=\"importmap\" nonce=\"{nonce}\"", html);
        using var second = await client.GetAsync("/");
        Assert.DoesNotContain(nonce, string.Join(" ", second.Headers.GetValues("Content-Security-Policy")));
    }

    [Fact]
    public async Task The_json_api_refuses_other_content_types_with_415_and_unrepresentable_numbers_with_400_and_writes_nothing()
    {
        using var api = await ApiClients.SignedInAsync(Root, "reporter-hure", DemoAccounts.DefaultPassword);
        await using var db = await Host.DbAsync();
        var before = await db.FigureRevisions.CountAsync();
        async Task<(HttpStatusCode Status, string Type, string Body)> Send(string json, string? type)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(json)) };
            request.Content.Headers.ContentType = type is null ? null : MediaTypeHeaderValue.Parse(type);
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var response = await api.SendAsync(request);
            return (response.StatusCode, response.Content.Headers.ContentType?.MediaType ?? "", await response.Content.ReadAsStringAsync());
        }
        const string Valid = """{"district":"hure","values":[{"indicator":"signed-projects","value":18,"expectedVersion":1,"reason":"核实"}]}""";
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", null, "application/json; charset=utf-16" })
        {
            var (status, problemType, _) = await Send(Valid, type);
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
            Assert.Equal("application/problem+json", problemType);
        }
        foreach (var number in new[] { "1e-400", "-1e-400", "1e309", "-1e309" })
        {
            var (status, problemType, body) = await Send(Valid.Replace("18", number, StringComparison.Ordinal), "application/json");
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal("application/problem+json", problemType);
            Assert.Contains("values[0].value", body);
        }
        var (badText, _, textBody) = await Send(Valid.Replace("核实", "\\ud800", StringComparison.Ordinal), "application/json");
        Assert.Equal(HttpStatusCode.BadRequest, badText);
        Assert.Contains("values[0].reason", textBody);
        Assert.Equal(before, await db.FigureRevisions.CountAsync());
        // The same body as JSON is accepted: the refusals were about the type and the values.
        Assert.Equal(HttpStatusCode.Created, (await Send(Valid, "application/json; charset=utf-8")).Status);
    }

    [Fact]
    public async Task An_oversized_body_gets_413_with_Connection_close()
    {
        using var api = await ApiClients.SignedInAsync(Root, "reporter-hure", DemoAccounts.DefaultPassword);
        using var request = new HttpRequestMessage(HttpMethod.Post, "api/v1/reports")
        {
            Content = new StringContent("{\"district\":\"" + new string('x', 70_000) + "\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Idempotency-Key", "oversized-1");
        using var response = await api.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True(response.Headers.ConnectionClose, "the 413 does not say Connection: close");
    }
}
