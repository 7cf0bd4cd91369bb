using System.Collections.Concurrent;
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

/// <summary>
/// Is this principal's account still the one that signed in? One small query, whose answer is kept for a short while:
/// every request asks (the write path asked ~2,000 times a second for the same few accounts). Any save of an account
/// row in this process (disabling, a new security stamp) drops every kept answer at once (<see cref="CachedRowsInterceptor"/>),
/// so a disabled account is refused on its very next request; the time limit covers changes made outside this process.
/// </summary>
public sealed class ActiveAccounts(IDbContextFactory<LiveBoardDbContext> dbFactory, IOptions<IdentityOptions> options, CachedRows rows,
    TimeProvider clock)
{
    public static readonly TimeSpan KeepAnswersFor = TimeSpan.FromSeconds(10);
    private const int MaxAnswers = 10_000;

    private sealed class Answers(long generation, long since) : ConcurrentDictionary<(string Id, string Stamp), bool>
    {
        public long Generation { get; } = generation;
        public long Since { get; } = since;
    }

    private Answers _answers = new(-1, 0);

    public async Task<bool> IsActiveAsync(ClaimsPrincipal user, CancellationToken ct = default)
    {
        var id = user.FindFirstValue(options.Value.ClaimsIdentity.UserIdClaimType);
        var stamp = user.FindFirstValue(options.Value.ClaimsIdentity.SecurityStampClaimType);
        if (id is null || stamp is null) return false;

        var generation = rows.Accounts.Current;
        var answers = Volatile.Read(ref _answers);
        if (answers.Generation != generation || clock.GetElapsedTime(answers.Since) > KeepAnswersFor)
            Volatile.Write(ref _answers, answers = new Answers(generation, clock.GetTimestamp()));
        if (answers.TryGetValue((id, stamp), out var kept)) return kept;

        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var active = await db.Users.AsNoTracking().AnyAsync(u => u.Id == id && !u.Disabled && u.SecurityStamp == stamp, ct);
        // Kept only if no account was saved while asking: the answer may predate that save. (Count locks the whole
        // dictionary, so it is read only here, on a miss.)
        if (rows.Accounts.Current == generation && answers.Count < MaxAnswers) answers[(id, stamp)] = active;
        return active;
    }
}

/// <summary>
/// A circuit keeps the principal it started with; this re-checks it every minute so that a disabled account's open
/// pages lose their rights too (the cookie check covers new requests only).
/// </summary>
public sealed class RevalidatingAccountStateProvider(ILoggerFactory loggers, ActiveAccounts accounts, TimeProvider clock, IConfiguration config)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => TimeSpan.FromMinutes(1);

    protected override async Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        authenticationState.User.Identity?.IsAuthenticated != true
        || (SessionLifetime.IsWithin(authenticationState.User, clock.GetUtcNow(), SessionLifetime.Limit(config))
            && await accounts.IsActiveAsync(authenticationState.User, cancellationToken));
}
