using LiveBoard.Web.Data;
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
    /// <summary>Sees the touring groups' itinerary and progress: observers, leaders and organisers.</summary>
    public const string Itinerary = "Itinerary";
    /// <summary>Submits score sheets: observers only (for their own group's sites of the day, see <see cref="CanScore"/>).</summary>
    public const string Scoring = "Scoring";

    public static AuthorizationBuilder AddLiveBoardPolicies(this AuthorizationBuilder auth) => auth
        .AddPolicy(Organiser, p => p.RequireRole(Roles.Organiser).AddRequirements(new ActiveAccountRequirement()))
        .AddPolicy(Reporting, p => p.RequireRole(Roles.Reporter, Roles.Organiser).AddRequirements(new ActiveAccountRequirement()))
        .AddPolicy(ReadAll, p => p.RequireRole(Roles.Leader, Roles.Organiser).AddRequirements(new ActiveAccountRequirement()))
        .AddPolicy(SignedIn, p => p.RequireAuthenticatedUser().AddRequirements(new ActiveAccountRequirement()))
        .AddPolicy(Itinerary, p => p.RequireRole(Roles.Observer, Roles.Leader, Roles.Organiser).AddRequirements(new ActiveAccountRequirement()))
        .AddPolicy(Scoring, p => p.RequireRole(Roles.Observer).AddRequirements(new ActiveAccountRequirement()));

    /// <summary>Organisers may report for any district, a reporter only for the one district bound to the account.</summary>
    public static bool CanReportFor(ClaimsPrincipal user, string districtCode) =>
        user.IsInRole(Roles.Organiser)
        || (user.IsInRole(Roles.Reporter) && string.Equals(user.FindFirstValue(LiveBoardClaims.District), districtCode, StringComparison.Ordinal));

    /// <summary>The district a reporter is bound to; null for organisers and everyone else.</summary>
    public static string? OwnDistrict(ClaimsPrincipal user) =>
        user.IsInRole(Roles.Reporter) ? user.FindFirstValue(LiveBoardClaims.District) : null;

    /// <summary>
    /// Only an observer scores, and only a site of the touring group bound to the account on the site's scheduled
    /// day (the campaign clock's today): scoring a site one never saw would defeat 看现场. Organisers and leaders do not score.
    /// </summary>
    public static bool CanScore(ClaimsPrincipal user, string siteGroupCode, DateOnly siteDay, DateOnly today) =>
        user.IsInRole(Roles.Observer) && siteDay == today
        && string.Equals(user.FindFirstValue(LiveBoardClaims.TouringGroup), siteGroupCode, StringComparison.Ordinal);

    /// <summary>
    /// A room screen follows the review meeting when someone is signed in on it, or when it presents the room key configured
    /// for the meeting room (a wall PC has nobody to sign in). No key configured: signed-in users only.
    /// </summary>
    public static bool CanFollowMeeting(ClaimsPrincipal user, string? key, string? roomKey) =>
        user.Identity?.IsAuthenticated == true
        || (roomKey is { Length: > 0 } && key is { Length: > 0 }
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(roomKey), System.Text.Encoding.UTF8.GetBytes(key)));

    /// <summary>An observer of the site's own group (its group leader travels as one) or an organiser marks arrival/visit.</summary>
    public static bool CanMarkVisit(ClaimsPrincipal user, string siteGroupCode) =>
        user.IsInRole(Roles.Organiser)
        || (user.IsInRole(Roles.Observer) && string.Equals(user.FindFirstValue(LiveBoardClaims.TouringGroup), siteGroupCode, StringComparison.Ordinal));
}
