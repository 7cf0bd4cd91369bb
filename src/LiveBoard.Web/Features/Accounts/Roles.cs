using LiveBoard.Web.Data;
namespace LiveBoard.Web.Features.Accounts;

/// <summary>The four roles of LiveBoard.</summary>
public static class Roles
{
    public const string Organiser = "Organiser";
    public const string Reporter = "Reporter";
    public const string Observer = "Observer";
    public const string Leader = "Leader";
    public static readonly string[] All = [Organiser, Reporter, Observer, Leader];
}

/// <summary>Claims LiveBoard adds to a signed-in principal.</summary>
public static class LiveBoardClaims
{
    public const string District = "liveboard:district";
    public const string TouringGroup = "liveboard:group";
    public const string DisplayName = "liveboard:name";
}
