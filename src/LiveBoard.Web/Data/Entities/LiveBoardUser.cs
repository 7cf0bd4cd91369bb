using Microsoft.AspNetCore.Identity;

namespace LiveBoard.Web.Data;

/// <summary>
/// A person who signs in. Reporters are bound to a district and observers to a touring group by <b>code</b>,
/// not by row id: districts and groups are rows of one campaign, while a district's reporter stays the same
/// person from one campaign to the next.
/// </summary>
public sealed class LiveBoardUser : IdentityUser
{
    public string DisplayName { get; set; } = "";
    /// <summary>The one district a reporter may write for; null for every other role.</summary>
    public string? DistrictCode { get; set; }
    /// <summary>The touring group an observer scores for; null for every other role.</summary>
    public string? TouringGroupCode { get; set; }
    /// <summary>A disabled account cannot sign in or get a token; rows are kept because the audit names them.</summary>
    public bool Disabled { get; set; }
}
