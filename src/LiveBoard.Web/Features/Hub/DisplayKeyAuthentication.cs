using LiveBoard.Web.Api;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using System.Security.Claims;
using System.Text.Encodings.Web;
using LiveBoard.Web.Features.Display;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace LiveBoard.Web.Features.Hub;

/// <summary>
/// Authenticates a request by a screen's display key: ?key=…, ?access_token=… (what SignalR clients send on
/// WebSockets) or "Authorization: Bearer &lt;key&gt;" (what they send on negotiate). The principal carries the
/// screen's slug; it grants reading live data, nothing else.
/// </summary>
public sealed class DisplayKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, DisplayService displays)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "DisplayKey";
    public const string ScreenClaim = "liveboard:screen";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Query["key"].FirstOrDefault() ?? Request.Query["access_token"].FirstOrDefault();
        if (key is null && Request.Headers.Authorization.FirstOrDefault() is { } header
            && header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            key = header["Bearer ".Length..].Trim();
        if (string.IsNullOrEmpty(key)) return AuthenticateResult.NoResult();

        var screen = await displays.AuthoriseAnyAsync(key, Context.RequestAborted);
        // A bearer value that is not a display key may belong to another scheme (signed-in users, later): no result.
        if (screen is null) return AuthenticateResult.NoResult();
        return ResultOf(screen.Slug);
    }

    // A screen's principal names its slug and nothing that changes (a revoked key never gets this far), so one result per
    // screen serves every connection: a hub viewer or a wall holds its request's authentication for the whole connection,
    // and a principal, ticket and properties of its own were ~0.7 KB of each. Nothing writes to a result once made: the
    // hub's policy builds a ticket of its own from the principal.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, AuthenticateResult> Results = new(StringComparer.Ordinal);

    private static AuthenticateResult ResultOf(string slug) => Results.GetOrAdd(slug, static s => AuthenticateResult.Success(new AuthenticationTicket(
        new ClaimsPrincipal(new ClaimsIdentity([new Claim(ScreenClaim, s), new Claim(ClaimTypes.Name, $"screen:{s}")], SchemeName)), SchemeName)));
}

public static class LiveHubRegistration
{
    /// <summary>SignalR, the display-key scheme, the hub's reader policy and the broadcaster.</summary>
    public static IServiceCollection AddLiveHub(this IServiceCollection services)
    {
        services.AddSingleton<Operations.WriteLog.HubScope>(); // one filter for every call, not one made per call
        services.AddSignalR().AddHubOptions<LiveHub>(o => o.AddFilter<Operations.WriteLog.HubScope>());
        services.AddSingleton<LiveConnections>();
        services.AddSingleton<SnapshotFrames>();
        services.AddHostedService<LiveHubBroadcaster>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, DisplayKeyAuthentication>(DisplayKeyAuthentication.SchemeName, null);
        // A display key or a signed-in account's bearer token (from /api/v1/auth/token) may read the hub.
        services.AddAuthorizationBuilder().AddPolicy(LiveHub.ReaderPolicy, p => p
            .AddAuthenticationSchemes(DisplayKeyAuthentication.SchemeName, IdentityConstants.BearerScheme)
            .RequireAuthenticatedUser());
        // WebSocket clients cannot send headers: SignalR passes the token as ?access_token= on the hub's path. Not when a
        // display key already authenticated the request (the policy tries that scheme first): the key is no bearer token,
        // and decoding it cost an exception per connection (~1,400/s while 10,000 walls connected, dotnet-counters).
        services.PostConfigure<BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
        {
            var previous = o.Events.OnMessageReceived;
            o.Events.OnMessageReceived = async context =>
            {
                await previous(context);
                if (!LiveHub.Serves(context.Request)) return;
                // The display-key scheme's result is the request's own, kept by its handler: asking again costs no lookup.
                if ((await context.HttpContext.AuthenticateAsync(DisplayKeyAuthentication.SchemeName)).Succeeded)
                {
                    context.NoResult(); // nor the same key from the Authorization header (SignalR's negotiate)
                    return;
                }
                if (context.Token is null && context.Request.Query["access_token"].FirstOrDefault() is { Length: > 0 } token)
                    context.Token = token;
            };
        });
        return services;
    }

    public static void MapLiveHub(this WebApplication app) => app.MapHub<LiveHub>(LiveHub.Path).WithoutStatusCodePages();
}
