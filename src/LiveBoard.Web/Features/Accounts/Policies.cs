using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;

namespace LiveBoard.Web.Features.Accounts;

/// <summary>
/// Every authorisation rule of LiveBoard, in one place. Pages use the names in [Authorize(Policy = ...)],
/// endpoints in RequireAuthorization(...); the district rule is a method because it depends on the request's data.
/// </summary>
public static class Policies
{
    /// <summary>Sets up the campaign, manages users, reads the audit: organisers only.</summary>
    public const string Organiser = "Organiser";
    /// <summary>Writes figures: reporters (for their own district, see <see cref="CanReportFor"/>) and organisers.</summary>
    public const string Reporting = "Reporting";
    /// <summary>Reads every figure, ranking and the reporting status: leaders and organisers.</summary>
    public const string ReadAll = "ReadAll";
    /// <summary>Any signed-in account.</summary>
    public const string SignedIn = "SignedIn";

    public static AuthorizationBuilder AddLiveBoardPolicies(this AuthorizationBuilder auth) => auth
        .AddPolicy(Organiser, p => p.RequireRole(Roles.Organiser).AddRequirements(new ActiveAccountRequirement()))
        .AddPolicy(Reporting, p => p.RequireRole(Roles.Reporter, Roles.Organiser).AddRequirements(new ActiveAccountRequirement()))
        .AddPolicy(ReadAll, p => p.RequireRole(Roles.Leader, Roles.Organiser).AddRequirements(new ActiveAccountRequirement()))
        .AddPolicy(SignedIn, p => p.RequireAuthenticatedUser().AddRequirements(new ActiveAccountRequirement()));

    /// <summary>Organisers may report for any district, a reporter only for the one district bound to the account.</summary>
    public static bool CanReportFor(ClaimsPrincipal user, string districtCode) =>
        user.IsInRole(Roles.Organiser)
        || (user.IsInRole(Roles.Reporter) && string.Equals(user.FindFirstValue(LiveBoardClaims.District), districtCode, StringComparison.Ordinal));

    /// <summary>The district a reporter is bound to; null for organisers and everyone else.</summary>
    public static string? OwnDistrict(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Reporter) ? user.FindFirstValue(LiveBoardClaims.District) : null;
}
