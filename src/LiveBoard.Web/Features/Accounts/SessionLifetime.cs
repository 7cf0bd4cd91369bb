using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;

namespace LiveBoard.Web.Features.Accounts;

/// <summary>
/// An absolute upper bound on a browser session, on top of the sliding idle timeout: <c>LiveBoard:AbsoluteSessionHours</c>
/// (default 12) after the password was given, the cookie is refused and open pages lose their rights within a minute,
/// however busy the session has been. The moment of sign-in travels as a claim, kept when the principal is refreshed.
/// </summary>
public static class SessionLifetime
{
    public const string SignedInClaim = "liveboard:signed-in";

    public static TimeSpan Limit(IConfiguration config) => TimeSpan.FromHours(config.GetValue("LiveBoard:AbsoluteSessionHours", 12d));

    public static Claim SignedInAt(DateTimeOffset now) =>
        new(SignedInClaim, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), ClaimValueTypes.Integer64);

    /// <summary>False when the principal is a signed-in browser session older than the limit (or without its sign-in time).</summary>
    public static bool IsWithin(ClaimsPrincipal user, DateTimeOffset now, TimeSpan limit) =>
        user.FindFirst(SignedInClaim)?.Value is { } value
        && long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
        && now - DateTimeOffset.FromUnixTimeSeconds(seconds) <= limit;

    public static void Configure(IServiceCollection services, IConfiguration config)
    {
        var limit = Limit(config);
        services.ConfigureApplicationCookie(o => o.Events.OnValidatePrincipal = async context =>
        {
            var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
            if (context.Principal is { } user && !IsWithin(user, now, limit))
            {
                context.RejectPrincipal();
                await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                return;
            }
            await SecurityStampValidator.ValidatePrincipalAsync(context);
        });
        // The security stamp check rebuilds the principal from the database every minute: the sign-in time comes along.
        services.Configure<SecurityStampValidatorOptions>(o => o.OnRefreshingPrincipal = context =>
        {
            if (context.CurrentPrincipal?.FindFirst(SignedInClaim) is { } claim && context.NewPrincipal?.Identity is ClaimsIdentity identity)
                identity.AddClaim(new Claim(claim.Type, claim.Value, claim.ValueType));
            return Task.CompletedTask;
        });
    }
}
