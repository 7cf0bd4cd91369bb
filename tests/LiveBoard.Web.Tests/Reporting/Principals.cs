using System.Security.Claims;
using LiveBoard.Web.Features.Accounts;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>Signed-in principals shaped as LiveBoardClaimsFactory shapes them, for services called directly.</summary>
public static class Principals
{
    public static ClaimsPrincipal Reporter(string district) => Make($"reporter-{district}", Roles.Reporter, district);

    public static ClaimsPrincipal Organiser() => Make("organiser", Roles.Organiser, null);

    private static ClaimsPrincipal Make(string name, string role, string? district)
    {
        var claims = new List<Claim> { new(ClaimTypes.Name, name), new(ClaimTypes.Role, role) };
        if (district is not null) claims.Add(new Claim(LiveBoardClaims.District, district));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "test"));
    }
}
