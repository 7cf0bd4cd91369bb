using LiveBoard.Web.Data;
using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace LiveBoard.Web.Features.Accounts;

/// <summary>MLPS 2.0 level 2 asks for letters and digits; Identity's own options cover digits and length only.</summary>
public sealed class LettersAndDigitsPasswordValidator : IPasswordValidator<LiveBoardUser>
{
    public Task<IdentityResult> ValidateAsync(UserManager<LiveBoardUser> manager, LiveBoardUser user, string? password) =>
        Task.FromResult(password is not null && password.Any(char.IsLetter)
            ? IdentityResult.Success
            : IdentityResult.Failed(new IdentityError { Code = "PasswordRequiresLetter", Description = "Passwords must contain a letter." }));
}

/// <summary>A disabled account is "not allowed" to sign in: SignInManager asks this before checking anything else.</summary>
public sealed class EnabledAccountConfirmation : IUserConfirmation<LiveBoardUser>
{
    public Task<bool> IsConfirmedAsync(UserManager<LiveBoardUser> manager, LiveBoardUser user) => Task.FromResult(!user.Disabled);
}

/// <summary>Puts the district, touring group and display name into the principal, so a request knows them without a query.</summary>
public sealed class LiveBoardClaimsFactory(UserManager<LiveBoardUser> users, RoleManager<IdentityRole> roles, IOptions<IdentityOptions> options)
    : UserClaimsPrincipalFactory<LiveBoardUser, IdentityRole>(users, roles, options)
{
    protected override async Task<ClaimsIdentity> GenerateClaimsAsync(LiveBoardUser user)
    {
        var identity = await base.GenerateClaimsAsync(user);
        identity.AddClaim(new Claim(LiveBoardClaims.DisplayName, user.DisplayName));
        if (user.DistrictCode is { } district) identity.AddClaim(new Claim(LiveBoardClaims.District, district));
        if (user.TouringGroupCode is { } group) identity.AddClaim(new Claim(LiveBoardClaims.TouringGroup, group));
        return identity;
    }
}
