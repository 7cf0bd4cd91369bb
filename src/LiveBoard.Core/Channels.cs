namespace LiveBoard.Core;

/// <summary>
/// Where a change or an audited event came from. Figure revisions and audit rows name their channel with these, so
/// one list serves both.
/// </summary>
public static class Channels
{
    public const string Web = "web";
    public const string Api = "api";
    public const string Import = "import";
    public const string Seed = "seed";
}
