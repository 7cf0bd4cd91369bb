using System.Security.Claims;
using LiveBoard.Web.Data;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace LiveBoard.Web.Features.Accounts;

/// <summary>
/// Part of every LiveBoard policy: the account behind a cookie or bearer token still exists, is not disabled, and has
/// the security stamp it had at sign-in. Disabling an account or resetting its password changes the stamp, so
/// tokens and cookies issued before stop working at once rather than when they expire.
/// </summary>
public sealed class ActiveAccountRequirement : IAuthorizationRequirement;

public sealed class ActiveAccountHandler(ActiveAccounts accounts) : AuthorizationHandler<ActiveAccountRequirement>
{
    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, ActiveAccountRequirement requirement)
    {
        if (await accounts.IsActiveAsync(context.User)) context.Succeed(requirement);
    }
}

/// <summary>One small query: is this principal's account still the one that signed in?</summary>
public sealed class ActiveAccounts(IDbContextFactory<LiveBoardDbContext> dbFactory, IOptions<IdentityOptions> options)
{
    public async Task<bool> IsActiveAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var id = user.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType);
        var stamp = user.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        if (id is null || stamp is null) return false;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().AnyAsync(u => u.Id == id && !u.Disabled && u.SecurityStamp == stamp, ct);
    }
}

/// <summary>
/// A circuit keeps the principal it started with; this re-checks it every minute so that a disabled account's open
/// pages lose their rights too (the cookie check covers new requests only).
/// </summary>
public sealed class RevalidatingAccountStateProvider(ILoggerFactory loggers, ActiveAccounts accounts)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken ct) =>
        state.User.Identity?.IsAuthenticated != true || await accounts.IsActiveAsync(state.User, ct);
}
