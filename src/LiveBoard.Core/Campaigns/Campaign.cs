namespace LiveBoard.Core.Campaigns;

/// <summary>Where a campaign is in its life: prepared as a draft, run while active, kept read-only once closed.</summary>
public enum CampaignStatus
{
    Draft,
    /// <summary>The current campaign, the one every screen shows; exactly one at a time.</summary>
    Active,
    Closed,
}

/// <summary>One inspection round (拉练): its days, districts, indicators, touring groups and sites.</summary>
public sealed class Campaign
{
    public const string DefaultTimeZone = "Asia/Shanghai";

    public int Id { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    public required string City { get; set; }
    public required string CityEn { get; set; }
    public DateOnly StartDate { get; set; }
    public DateOnly EndDate { get; set; }
    /// <summary>The campaign's clock (IANA id); Beijing time for Chinese cities.</summary>
    public string TimeZone { get; set; } = DefaultTimeZone;
    public CampaignStatus Status { get; set; }

    /// <summary>
    /// The version of the weights and targets this copy was read with: 1 as created, one more for each change once the
    /// campaign runs. Kept by the versions' own append-only record, not by the campaign; standings and publications
    /// carry it so that a ranking says which weights it was computed with.
    /// </summary>
    public int WeightsVersion { get; set; } = 1;

    public List<District> Districts { get; set; } = [];
    public List<Indicator> Indicators { get; set; } = [];
    public List<TouringGroup> TouringGroups { get; set; } = [];
    public List<CampaignDay> Days { get; set; } = [];
    public List<Site> Sites { get; set; } = [];
}

/// <summary>A reporting unit (旗县市区). <see cref="SortOrder"/> is the official order, used wherever ranks tie.</summary>
public sealed class District
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    /// <summary>The short name officials use on boards and in bulletins (科区, 霍市, 开发区…); null when the city has none.</summary>
    public string? ShortName { get; set; }
    public string? ShortNameEn { get; set; }
    public int SortOrder { get; set; }

    /// <summary>The short name where one is set, else the full name: for screens with many columns.</summary>
    public string Short(bool chinese) => chinese ? ShortName ?? Name : ShortNameEn ?? NameEn;
}

/// <summary>A touring group (拉练观摩组), e.g. the South line.</summary>
public sealed class TouringGroup
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public required string Code { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
}

/// <summary>One day of the campaign; every evening has a review meeting.</summary>
public sealed class CampaignDay
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public DateOnly Date { get; set; }
    public required string Title { get; set; }
    public required string TitleEn { get; set; }
}

public enum SiteStatus
{
    Signed,
    Started,
    InProduction,
}

/// <summary>A project visited by a touring group (观摩点).</summary>
public sealed class Site
{
    public int Id { get; set; }
    public int CampaignId { get; set; }
    public int DistrictId { get; set; }
    public int TouringGroupId { get; set; }
    public DateOnly Day { get; set; }
    public int RouteOrder { get; set; }
    public required string Name { get; set; }
    public required string NameEn { get; set; }
    /// <summary>Planned investment in 亿元.</summary>
    public decimal PlannedInvestment { get; set; }
    /// <summary>Investment completed so far in 亿元.</summary>
    public decimal CompletedInvestment { get; set; }
    public SiteStatus Status { get; set; }
    public string Description { get; set; } = "";
    /// <summary>Where the touring group's bus stops; null when the organisers did not say.</summary>
    public string? Address { get; set; }
    /// <summary>When the group is expected on site (campaign-local time).</summary>
    public TimeOnly? PlannedArrival { get; set; }
    /// <summary>
    /// Counts the site's changes (1 as created): an edit names the version it was made on, and one made on a version
    /// another organiser has since changed is refused instead of silently overwriting it.
    /// </summary>
    public int Version { get; set; } = 1;
}
