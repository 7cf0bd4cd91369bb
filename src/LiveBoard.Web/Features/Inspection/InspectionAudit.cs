using LiveBoard.Web.Data;
using LiveBoard.Core.Inspection;
namespace LiveBoard.Web.Features.Inspection;

/// <summary>Audit kinds of the inspection week; rows go to the append-only audit table with old and new values.</summary>
public static class InspectionAudit
{
    public const string ScoreRecorded = "score-recorded";
    public const string SiteVisited = "site-visited";
    public const string ScoringClosed = "scoring-closed";
    public const string GradeSet = "grade-set";
    public const string SettingsChanged = "inspection-settings-changed";
    public const string SiteAdded = "site-added";
    public const string SiteChanged = "site-changed";
    public const string SiteRemoved = "site-removed";
}

/// <summary>What the organiser's grade form sends to its page.</summary>
public sealed record GradeInput(string District, string Indicator, Grade Grade, string? Remark);
