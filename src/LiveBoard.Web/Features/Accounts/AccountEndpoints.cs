using LiveBoard.Core;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Admin;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace LiveBoard.Web.Features.Accounts;

public enum SignInCheck { Succeeded, Failed, LockedOut, Disabled }

/// <summary>
/// Password sign-in for both channels: the login form (cookie) and the API (bearer token). Both go through
/// SignInManager's lockout counting, and both write the audit row, so the MLPS rules hold whichever door is used.
/// </summary>
public sealed class PasswordCheck(SignInManager<LiveBoardUser> signIn, AuditLog audit)
{
    public async Task<(SignInCheck Result, LiveBoardUser? User)> CheckAsync(string? userName, string? password, string channel, HttpContext http)
    {
        userName = (userName ?? "").Trim();
        var user = userName.Length is > 0 and <= 256 ? await signIn.UserManager.FindByNameAsync(userName) : null;
        var result = user is null || string.IsNullOrEmpty(password) || password.Length > 256
            ? SignInCheck.Failed
            : await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true) switch
            {
                { Succeeded: true } => SignInCheck.Succeeded,
                { IsLockedOut: true } => SignInCheck.LockedOut,
                { IsNotAllowed: true } => SignInCheck.Disabled,
                _ => SignInCheck.Failed,
            };
        var kind = result switch
        {
            SignInCheck.Succeeded => channel == Channels.Api ? AuditKinds.TokenIssued : AuditKinds.LoginSucceeded,
            SignInCheck.LockedOut => AuditKinds.LockedOut,
            _ => AuditKinds.LoginFailed,
        };
        await audit.AppendAsync(kind, userName, channel, result == SignInCheck.Disabled ? "disabled" : user is null ? "unknown user" : "", http);
        return (result, result == SignInCheck.Succeeded ? user : null);
    }
}

public static class AuditChannels
{
    public const string Web = "web";
    public const string Api = "api";
}

public static class AccountEndpoints
{
    public const string LoginPath = "/account/login";
    public const string LogoutPath = "/account/logout";
    public const string DeniedPath = "/account/denied";
    public const string SiteTokenPath = "/account/token";
    public const string AuthRateLimit = "auth";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // The login page is a statically rendered form: an interactive circuit cannot set the cookie.
        app.MapPost(LoginPath, async ([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
            PasswordCheck check, SignInManager<LiveBoardUser> signIn, HttpContext http) =>
        {
            var target = SafeLocal(returnUrl);
            var (result, user) = await check.CheckAsync(userName, password, Channels.Web, http);
            if (user is null)
            {
                var error = result switch { SignInCheck.LockedOut => "locked", SignInCheck.Disabled => "disabled", _ => "invalid" };
                return Results.LocalRedirect($"{LoginPath}?error={error}&returnUrl={Uri.EscapeDataString(target)}");
            }
            await signIn.SignInAsync(user, isPersistent: false);
            return Results.LocalRedirect(target);
        }).AllowAnonymous().RequireRateLimiting(AuthRateLimit);

        app.MapPost(LogoutPath, async (SignInManager<LiveBoardUser> signIn, AuditLog audit, HttpContext http) =>
        {
            if (http.User.Identity?.IsAuthenticated == true)
            {
                await audit.AppendAsync(AuditKinds.Logout, http.User.Identity.Name ?? "", Channels.Web, "", http);
                await signIn.SignOutAsync();
            }
            return Results.LocalRedirect(LoginPath);
        }).AllowAnonymous();

        app.MapGet(IdleSignOut.Path, IdleSignOutAsync).AllowAnonymous();

        // The scoring page talks to the API, which takes bearer tokens only: an observer already signed in on the site
        // gets one from the sign-in cookie instead of being asked for the password again. A form post (the page's
        // antiforgery token) so that another site cannot make the browser ask for one.
        app.MapPost(SiteTokenPath, async (IFormCollection form, UserManager<LiveBoardUser> users, SignInManager<LiveBoardUser> signIn,
            AuditLog audit, HttpContext http) =>
        {
            if (await users.GetUserAsync(http.User) is not { } user) return Results.Unauthorized();
            await audit.AppendAsync(AuditKinds.TokenIssued, user.UserName ?? "", Channels.Web, "from the site's sign-in", http);
            return Results.SignIn(await signIn.CreateUserPrincipalAsync(user), authenticationScheme: IdentityConstants.BearerScheme);
        }).RequireAuthorization(Policies.Scoring);
    }

    /// <summary>Where an idle page sends its browser (<see cref="IdleSignOut"/>): signs out, then shows the login page.</summary>
    private static async Task<IResult> IdleSignOutAsync(SignInManager<LiveBoardUser> signIn, AuditLog audit, HttpContext http)
    {
        // A GET, because an idle page can only navigate; the worst a forged link can do is sign someone out.
        if (http.User.Identity?.IsAuthenticated == true)
        {
            await audit.AppendAsync(AuditKinds.IdleTimeout, http.User.Identity.Name ?? "", Channels.Web, "", http);
            await signIn.SignOutAsync();
        }
        return Results.LocalRedirect($"{LoginPath}?error=idle");
    }

    /// <summary>Only a path on this site: an open redirect would let a phishing link borrow our login page.</summary>
    public static string SafeLocal(string? url) =>
        url is { Length: > 0 } u && u.StartsWith('/') && !u.StartsWith("//", StringComparison.Ordinal) && !u.StartsWith("/\\", StringComparison.Ordinal) ? u : "/";
}
