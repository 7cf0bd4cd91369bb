using System.Collections.Concurrent;
using LiveBoard.Web.Features.Display;

namespace LiveBoard.Web.Security;

/// <summary>
/// Bounds the live page sessions (Blazor circuits) one client address, and the whole instance, may hold at once: at most
/// <c>LiveBoard:Circuits:PerClient</c> (default 20) per address and <c>LiveBoard:Circuits:Max</c> (default 2,000) in all.
/// A circuit lives on one connection to /_blazor, so the open connections are what is counted; a new one past the cap is
/// refused (429) at negotiation and again at the upgrade, before any circuit exists, and existing ones are untouched.
/// A refusal is logged at most once a minute per address, so a flood cannot fill the log.
/// A wall display is not a stranger: a control room puts dozens of screens behind one router's address, so a circuit
/// whose browser holds a valid display key (the HttpOnly <see cref="ScreenCookie"/> set when the screen's page was
/// opened with its key) counts only against the instance's total, not the address's share.
/// </summary>
public sealed partial class CircuitCap(IConfiguration config, TimeProvider clock, ILogger<CircuitCap> log)
{
    public const string Path = "/_blazor";
    public const string RefusedMessage = "此地址打开的实时页面过多，请先关闭其他页面后再刷新。";
    /// <summary>Sent only to /_blazor: the key never travels further than the circuit needs.</summary>
    public const string ScreenCookie = DisplayService.ScreenCookie;

    private readonly int _perClient = config.GetValue("LiveBoard:Circuits:PerClient", 20);
    private readonly int _max = config.GetValue("LiveBoard:Circuits:Max", 2000);
    private readonly ConcurrentDictionary<string, int> _open = new();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _lastLogged = new();
    private int _total;

    public int Open => Volatile.Read(ref _total);

    private bool IsFull(string? address) => Volatile.Read(ref _total) >= _max || (address is not null && _open.GetValueOrDefault(address) >= _perClient);

    private bool TryEnter(string? address)
    {
        if (Interlocked.Increment(ref _total) > _max)
        {
            Interlocked.Decrement(ref _total);
            return false;
        }
        if (address is null) return true;
        var entered = false;
        _open.AddOrUpdate(address, _ => { entered = true; return 1; }, (_, n) => { entered = n < _perClient; return entered ? n + 1 : n; });
        if (!entered) Interlocked.Decrement(ref _total);
        return entered;
    }

    private void Leave(string? address)
    {
        Interlocked.Decrement(ref _total);
        if (address is null) return;
        // Removed at zero, so that the table holds only addresses with something open.
        if (_open.AddOrUpdate(address, 0, (_, n) => n - 1) <= 0) _open.TryRemove(new KeyValuePair<string, int>(address, 0));
    }

    public async Task HandleAsync(HttpContext http, RequestDelegate next)
    {
        var address = http.Connection.RemoteIpAddress?.ToString() ?? "?";
        var negotiate = http.Request.Path.StartsWithSegments(Path + "/negotiate");
        // The transport itself: the GET carrying the connection token (a WebSocket, or a server-sent event stream), open
        // for as long as the circuit is connected. (Not IsWebSocketRequest: the WebSocket feature is not set up yet here.)
        var transport = HttpMethods.IsGet(http.Request.Method) && http.Request.Path == Path && http.Request.Query.ContainsKey("id");
        if (!transport)
        {
            // At negotiation the key is looked up only when the address's share is used up: a screen is never refused
            // where anyone else would be let in.
            if (negotiate && IsFull(address) && IsFull(await IsScreenAsync(http) ? null : address))
            {
                await RefuseAsync(http, address);
                return;
            }
            await next(http);
            return;
        }
        // Null: a screen's circuit, counted in the total only.
        var share = await IsScreenAsync(http) ? null : address;
        if (!TryEnter(share))
        {
            await RefuseAsync(http, address);
            return;
        }
        try
        {
            await next(http);
        }
        finally
        {
            Leave(share);
        }
    }

    private static async Task<bool> IsScreenAsync(HttpContext http) =>
        http.Request.Cookies.TryGetValue(ScreenCookie, out var key) && await OpensAScreenAsync(http, key);

    private static async Task<bool> OpensAScreenAsync(HttpContext http, string? key) =>
        !string.IsNullOrEmpty(key)
        && await http.RequestServices.GetRequiredService<DisplayService>().AuthoriseAnyAsync(key, http.RequestAborted) is not null;

    /// <summary>
    /// Called when a screen's page is opened with its key: the browser then presents the key on its circuit's requests
    /// (/_blazor) and when the screen's page is loaded again (/display/{slug}), whose script takes the key out of the
    /// address. HttpOnly and limited to those two paths, so page scripts and other requests never see it.
    /// </summary>
    public static async Task RememberScreenAsync(HttpContext http)
    {
        if (!HttpMethods.IsGet(http.Request.Method) || !http.Request.Path.StartsWithSegments("/display")) return;
        var key = http.Request.Query["key"].ToString();
        if (string.IsNullOrEmpty(key)
            || await http.RequestServices.GetRequiredService<DisplayService>().AuthoriseAnyAsync(key, http.RequestAborted) is not { } screen) return;
        foreach (var path in new[] { Path, "/display/" + Uri.EscapeDataString(screen.Slug) })
            http.Response.Cookies.Append(ScreenCookie, key, new CookieOptions
            {
                HttpOnly = true,
                Secure = http.Request.IsHttps,
                SameSite = SameSiteMode.Strict,
                Path = path,
                MaxAge = TimeSpan.FromDays(30),
            });
    }

    private async Task RefuseAsync(HttpContext http, string address)
    {
        var now = clock.GetUtcNow();
        if (_lastLogged.Count > 10_000) _lastLogged.Clear();
        var logged = _lastLogged.GetOrAdd(address, DateTimeOffset.MinValue);
        // Only the request that moves the time on logs: two refusals at the same moment write one line.
        if (now - logged >= TimeSpan.FromMinutes(1) && _lastLogged.TryUpdate(address, now, logged))
            LogRefused(log, address, _perClient, _max);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = "60";
        http.Response.ContentType = "text/plain; charset=utf-8";
        await http.Response.WriteAsync(RefusedMessage, http.RequestAborted);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused a live page session from {Address}: at most {PerClient} per address, {Max} in all (logged once a minute per address)")]
    private static partial void LogRefused(ILogger logger, string address, int perClient, int max);
}
