using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Identity;
using System.Security.Claims;
using System.Text.Encodings.Web;
using LiveBoard.Web.Features.Display;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace LiveBoard.Web.Live;

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
        var identity = new ClaimsIdentity([new Claim(ScreenClaim, screen.Slug), new Claim(ClaimTypes.Name, $"screen:{screen.Slug}")], SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }
}

public static class LiveHubRegistration
{
    /// <summary>SignalR, the display-key scheme, the hub's reader policy and the broadcaster.</summary>
    public static IServiceCollection AddLiveHub(this IServiceCollection services)
    {
        services.AddSignalR();
        services.AddSingleton<LiveConnections>();
        services.AddHostedService<LiveHubBroadcaster>();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, DisplayKeyAuthentication>(DisplayKeyAuthentication.SchemeName, null);
        // A display key or a signed-in account's bearer token (from /api/v1/auth/token) may read the hub.
        services.AddAuthorizationBuilder().AddPolicy(LiveHub.ReaderPolicy, p => p
            .AddAuthenticationSchemes(DisplayKeyAuthentication.SchemeName, IdentityConstants.BearerScheme)
            .RequireAuthenticatedUser());
        // WebSocket clients cannot send headers: SignalR passes the token as ?access_token= on the hub's path.
        services.PostConfigure<BearerTokenOptions>(IdentityConstants.BearerScheme, o =>
        {
            var previous = o.Events.OnMessageReceived;
            o.Events.OnMessageReceived = async context =>
            {
                await previous(context);
                if (context.Token is null && context.Request.Path.StartsWithSegments(LiveHub.Path)
                    && context.Request.Query["access_token"].FirstOrDefault() is { Length: > 0 } token)
                    context.Token = token;
            };
        });
        return services;
    }

    public static void MapLiveHub(this WebApplication app) => app.MapHub<LiveHub>(LiveHub.Path).WithoutStatusCodePages();
}
