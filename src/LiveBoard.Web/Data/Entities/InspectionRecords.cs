using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Inspection;

namespace LiveBoard.Web.Data;

/// <summary>
/// One observer's current marks for one site (one row per site and observer). A change raises the version;
/// the previous marks survive in the audit (the inspection audit), as figures' do in their revisions.
/// </summary>
public sealed class SiteScoreSheet
{
    public long Id { get; set; }
    public int CampaignId { get; set; }
    public int SiteId { get; set; }
    /// <summary>The observer's user name.</summary>
    public required string Observer { get; set; }
    public decimal Structure { get; set; }
    public decimal Efficiency { get; set; }
    public decimal Service { get; set; }
    public decimal Results { get; set; }
    /// <summary>找差距: the gaps the observer found.</summary>
    public string Gaps { get; set; } = "";
    public string Highlights { get; set; } = "";
    public int Version { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public ObserverScore ToScore() => new(Observer, Structure, Efficiency, Service, Results);
}

/// <summary>A touring group's arrival at or visit of a site; appended, the latest kind per site is its state.</summary>
public sealed class SiteVisit
{
    public long Id { get; set; }
    public int CampaignId { get; set; }
    public int SiteId { get; set; }
    public VisitKind Kind { get; set; }
    public required string By { get; set; }
    public DateTimeOffset At { get; set; }
    /// <summary>Kilometres driven to reach the site, when someone entered them.</summary>
    public decimal? Kilometres { get; set; }
}

/// <summary>Scoring for a site is closed: no observer can change its marks any more.</summary>
public sealed class ScoringClosure
{
    public int SiteId { get; set; }
    public int CampaignId { get; set; }
    public required string ClosedBy { get; set; }
    public DateTimeOffset ClosedAt { get; set; }
}

/// <summary>A district's business-environment grade (营商环境 评定) for one indicator in one quarter, e.g. "2023Q2".</summary>
public sealed class DistrictGrade
{
    public long Id { get; set; }
    public int CampaignId { get; set; }
    public int DistrictId { get; set; }
    public int IndicatorId { get; set; }
    public required string Quarter { get; set; }
    public Grade Grade { get; set; }
    public string Remark { get; set; } = "";
    public required string GradedBy { get; set; }
    public DateTimeOffset GradedAt { get; set; }
    public int Version { get; set; }
}

/// <summary>
/// The campaign's inspection settings: the scoring scheme and how much the inspection score and the grades weigh in
/// the composite ranking. A campaign without a row uses <see cref="Defaults"/> (the demo: 25 points each, equal
/// weights, trimming from 5 observers; inspection weight 20 beside the headline weights 20/20/25/15/20; grades 0).
/// </summary>
public sealed class InspectionSettings
{
    public int CampaignId { get; set; }
    public decimal StructureMax { get; set; } = 25;
    public decimal EfficiencyMax { get; set; } = 25;
    public decimal ServiceMax { get; set; } = 25;
    public decimal ResultsMax { get; set; } = 25;
    public decimal StructureWeight { get; set; } = 1;
    public decimal EfficiencyWeight { get; set; } = 1;
    public decimal ServiceWeight { get; set; } = 1;
    public decimal ResultsWeight { get; set; } = 1;
    /// <summary>From this many observers on, the highest and lowest totals are dropped (the minimum observers of the trimmed mean).</summary>
    public int TrimThreshold { get; set; } = 5;
    public int DropHighest { get; set; } = 1;
    public int DropLowest { get; set; } = 1;
    /// <summary>Weight of the district inspection score in the composite ranking; 0 leaves it out.</summary>
    public decimal InspectionWeight { get; set; } = 20;
    /// <summary>Weight of the mean grade points in the composite ranking; 0 (default) leaves grades out.</summary>
    public decimal GradeWeight { get; set; }
    /// <summary>The grade scale: points of 好 / 较好 / 一般 and the mean points from which the overall grade is 好 / 较好.</summary>
    public decimal GoodPoints { get; set; } = 3;
    public decimal FairlyGoodPoints { get; set; } = 2;
    public decimal AveragePoints { get; set; } = 1;
    public decimal GoodFrom { get; set; } = 2.5m;
    public decimal FairlyGoodFrom { get; set; } = 1.8m;

    public static InspectionSettings Defaults(int campaignId) => new() { CampaignId = campaignId };

    /// <summary>Why these settings cannot be used, by field; empty when they can.</summary>
    public Dictionary<string, string> Validate()
    {
        var errors = new Dictionary<string, string>();
        foreach (var (name, max) in new[] { ("structureMax", StructureMax), ("efficiencyMax", EfficiencyMax), ("serviceMax", ServiceMax), ("resultsMax", ResultsMax) })
            if (max is <= 0 or > 100) errors[name] = "Settings_MaxPoints";
        foreach (var (name, w) in new[] { ("structureWeight", StructureWeight), ("efficiencyWeight", EfficiencyWeight), ("serviceWeight", ServiceWeight), ("resultsWeight", ResultsWeight) })
            if (w is < 0 or > 100) errors[name] = "Settings_Weight";
        if (StructureWeight + EfficiencyWeight + ServiceWeight + ResultsWeight == 0) errors["structureWeight"] = "Settings_Weight";
        if (TrimThreshold is < 3 or > 50 || !ScoringScheme.TrimLeavesScores(TrimThreshold, DropHighest, DropLowest)) errors["trimThreshold"] = "Settings_Threshold";
        if (InspectionWeight is < 0 or > 100) errors["inspectionWeight"] = "Settings_Weight";
        if (GradeWeight is < 0 or > 100) errors["gradeWeight"] = "Settings_Weight";
        return errors;
    }

    public ScoringScheme Scheme() => new(
    [
        new DimensionRule(Dimension.Structure, StructureMax, StructureWeight),
        new DimensionRule(Dimension.Efficiency, EfficiencyMax, EfficiencyWeight),
        new DimensionRule(Dimension.Service, ServiceMax, ServiceWeight),
        new DimensionRule(Dimension.Results, ResultsMax, ResultsWeight),
    ], TrimThreshold, DropHighest, DropLowest);

    public GradeRule GradeRule() => new(GoodPoints, FairlyGoodPoints, AveragePoints, GoodFrom, FairlyGoodFrom);

    /// <summary>The settings as the campaign file writes them: dimensions in the order observers mark them, grades best first.</summary>
    public CampaignFile.ScoringEntry ToScoring() => new(
        [.. Scheme().Dimensions.Select(d => new CampaignFile.DimensionEntry(d.Dimension, d.MaxPoints, d.Weight))],
        new CampaignFile.TrimmedMeanEntry(DropHighest, DropLowest, TrimThreshold), InspectionWeight, GradeWeight,
        [
            new CampaignFile.GradeEntry(Grade.Good, GoodPoints, GoodFrom),
            new CampaignFile.GradeEntry(Grade.FairlyGood, FairlyGoodPoints, FairlyGoodFrom),
            new CampaignFile.GradeEntry(Grade.Average, AveragePoints),
        ]);

    /// <summary>A checked file's scoring part onto these settings (<see cref="CampaignFile.Validate"/> made sure every part is there).</summary>
    public void Apply(CampaignFile.ScoringEntry scoring)
    {
        decimal Max(Dimension d) => scoring.Dimensions!.First(x => x.Dimension == d).MaxPoints;
        decimal Weight(Dimension d) => scoring.Dimensions!.First(x => x.Dimension == d).Weight;
        CampaignFile.GradeEntry Of(Grade g) => scoring.GradeScale!.First(x => x.Grade == g);
        (StructureMax, EfficiencyMax, ServiceMax, ResultsMax) = (Max(Dimension.Structure), Max(Dimension.Efficiency), Max(Dimension.Service), Max(Dimension.Results));
        (StructureWeight, EfficiencyWeight, ServiceWeight, ResultsWeight) =
            (Weight(Dimension.Structure), Weight(Dimension.Efficiency), Weight(Dimension.Service), Weight(Dimension.Results));
        (DropHighest, DropLowest, TrimThreshold) = (scoring.TrimmedMean!.DropHighest, scoring.TrimmedMean.DropLowest, scoring.TrimmedMean.MinimumObservers);
        (InspectionWeight, GradeWeight) = (scoring.InspectionWeight, scoring.GradeWeight);
        (GoodPoints, GoodFrom) = (Of(Grade.Good).Points, Of(Grade.Good).From ?? 0);
        (FairlyGoodPoints, FairlyGoodFrom) = (Of(Grade.FairlyGood).Points, Of(Grade.FairlyGood).From ?? 0);
        AveragePoints = Of(Grade.Average).Points;
    }
}
