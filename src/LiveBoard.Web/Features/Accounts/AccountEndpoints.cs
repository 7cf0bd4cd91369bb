using LiveBoard.Core;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Admin;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Endpoints;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace LiveBoard.Web.Features.Accounts;

public enum SignInCheck { Succeeded, Failed, Disabled, Throttled }

/// <summary>
/// Password sign-in for both channels: the login form (cookie) and the API (bearer token). Both go through the same
/// throttle and lockout rule (<see cref="SignInThrottle"/>) and both write the audit row, so the MLPS rules hold whichever
/// door is used. An unknown user, a wrong password and a locked account cost the same password hash and get the same
/// answer: neither the reply nor its time tells a stranger which accounts exist or which are locked.
/// </summary>
public sealed class PasswordCheck(SignInManager<LiveBoardUser> signIn, SignInThrottle throttle, AuditLog audit, RefusedAttempts refusals, TimeProvider clock)
{
    // A hash of nothing anyone knows, in the current format: verifying against it costs what a real account costs.
    private static string? s_decoyHash;

    public async Task<(SignInCheck Result, LiveBoardUser? User, TimeSpan RetryAfter)> CheckAsync(string? userName, string? password, string channel, HttpContext http)
    {
        userName = (userName ?? "").Trim();
        var address = http.Connection.RemoteIpAddress;
        if (throttle.WaitFor(address) is { Ticks: > 0 } wait)
        {
            // Counted with the other refusals, per address and minute: a guessing script that keeps going costs no row each.
            refusals.Record(http, RefusalReasons.SignInThrottled, account: userName);
            return (SignInCheck.Throttled, null, wait);
        }
        var users = signIn.UserManager;
        password ??= "";
        var user = userName.Length is > 0 and <= 256 && password.Length <= 256 ? await users.FindByNameAsync(userName) : null;
        var result = SignInCheck.Failed;
        if (user is null || await users.IsLockedOutAsync(user))
            Decoy(users, password);
        else if (password.Length > 0)
            result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: false) switch
            {
                { Succeeded: true } => SignInCheck.Succeeded,
                { IsNotAllowed: true } => SignInCheck.Disabled,
                _ => SignInCheck.Failed,
            };

        var detail = result == SignInCheck.Disabled ? "disabled" : user is null ? "unknown user" : "";
        if (result == SignInCheck.Succeeded) throttle.Succeeded(address, user!.Id);
        else if (result == SignInCheck.Failed)
        {
            // Tries at a locked account still slow their address down, but do not count towards its next lock.
            var locked = user is not null && await users.IsLockedOutAsync(user);
            if (locked) detail = "locked";
            if (throttle.Failed(address, locked ? null : user?.Id))
            {
                await users.SetLockoutEndDateAsync(user!, clock.GetUtcNow() + SignInThrottle.FailureWindow);
                await audit.AppendAsync(AuditKinds.LockedOut, userName, channel, "failures from several addresses", http);
            }
        }
        var kind = result == SignInCheck.Succeeded ? channel == Channels.Api ? AuditKinds.TokenIssued : AuditKinds.LoginSucceeded : AuditKinds.LoginFailed;
        await audit.AppendAsync(kind, userName, channel, detail, http);
        return (result, result == SignInCheck.Succeeded ? user : null, TimeSpan.Zero);
    }

    private static void Decoy(UserManager<LiveBoardUser> users, string password)
    {
        var decoy = new LiveBoardUser();
        s_decoyHash ??= users.PasswordHasher.HashPassword(decoy, Guid.NewGuid().ToString("N"));
        users.PasswordHasher.VerifyHashedPassword(decoy, s_decoyHash, password);
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
    /// <summary>The query parameter naming the page that sent the user to sign in or to <see cref="DeniedPath"/> (the cookie handler's name).</summary>
    public const string ReturnUrlParameter = "ReturnUrl";
    public const string SiteTokenPath = "/account/token";
    public const string AuthRateLimit = "auth";

    public static void MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        // The login page is a statically rendered form: an interactive circuit cannot set the cookie.
        app.MapPost(LoginPath, async ([FromForm] string? userName, [FromForm] string? password, [FromForm] string? returnUrl,
            PasswordCheck check, SignInManager<LiveBoardUser> signIn, IAntiforgery antiforgery, RefusedAttempts refusals, TimeProvider clock, HttpContext http) =>
        {
            if (await RefuseForgedAsync(http, antiforgery, refusals, userName) is { } refused) return refused;
            var target = SafeLocal(returnUrl);
            var (result, user, _) = await check.CheckAsync(userName, password, Channels.Web, http);
            if (user is null)
            {
                var error = result switch { SignInCheck.Throttled => "throttled", SignInCheck.Disabled => "disabled", _ => "invalid" };
                return Results.LocalRedirect($"{LoginPath}?error={error}&returnUrl={Uri.EscapeDataString(target)}");
            }
            await signIn.SignInWithClaimsAsync(user, isPersistent: false, [SessionLifetime.SignedInAt(clock.GetUtcNow())]);
            return Results.LocalRedirect(target);
        }).AllowAnonymous().RequireRateLimiting(AuthRateLimit).DisableAntiforgery();

        // Logout takes a token too: a page elsewhere must not be able to sign our users out.
        app.MapPost(LogoutPath, async (SignInManager<LiveBoardUser> signIn, IAntiforgery antiforgery, RefusedAttempts refusals, AuditLog audit, HttpContext http) =>
        {
            if (await RefuseForgedAsync(http, antiforgery, refusals, null) is { } refused) return refused;
            if (http.User.Identity?.IsAuthenticated == true)
            {
                await audit.AppendAsync(AuditKinds.Logout, http.User.Identity.Name ?? "", Channels.Web, "", http);
                await signIn.SignOutAsync();
            }
            return Results.LocalRedirect(LoginPath);
        }).AllowAnonymous().DisableAntiforgery();

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

    /// <summary>
    /// A form post without this site's antiforgery token (missing, expired, or from another site's page): 400 with the
    /// login page and a sentence saying to send it again, counted with the other refusals; nothing else happens. Checked here rather than by the
    /// framework, whose refusal would be a 400 without a page (and, re-executed as the not-found page, a 500).
    /// </summary>
    private static async Task<IResult?> RefuseForgedAsync(HttpContext http, IAntiforgery antiforgery, RefusedAttempts refusals, string? userName)
    {
        if (await antiforgery.IsRequestValidAsync(http)) return null;
        refusals.Record(http, RefusalReasons.Antiforgery, account: userName);
        // The login page's own endpoint renders for this request, as for a GET of its address: the form's page, with the
        // message, under this status (as a POST, the renderer would look for a Blazor form to hand the post to).
        var page = http.RequestServices.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .First(e => e.Metadata.GetMetadata<ComponentTypeMetadata>()?.Type == typeof(Login));
        http.Request.Method = HttpMethods.Get;
        http.Request.Path = LoginPath;
        http.Request.QueryString = QueryString.Create("error", "expired");
        return new PageResult(page, StatusCodes.Status400BadRequest);
    }

    private sealed class PageResult(Endpoint page, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.SetEndpoint(page);
            http.Response.StatusCode = status;
            return page.RequestDelegate!(http);
        }
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
