using System.Globalization;
using System.Resources;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Standings;

namespace LiveBoard.Web;

/// <summary>
/// The name of a component of the composite in the reader's language: an indicator's name from the campaign, and the
/// inspection score's and the grades' names from the resources (Core leaves them unnamed).
/// </summary>
public static class ComponentNames
{
    private static readonly ResourceManager Strings = new("LiveBoard.Web.Resources.SharedResource", typeof(SharedResource).Assembly);

    public static string Of(Indicator component, CultureInfo? culture = null)
    {
        culture ??= CultureInfo.CurrentUICulture;
        return component.Code switch
        {
            CityStandings.InspectionCode when component.Name.Length == 0 => Strings.GetString("Component_Inspection", culture)!,
            CityStandings.GradeCode when component.Name.Length == 0 => Strings.GetString("Component_Grades", culture)!,
            _ => FigureFormat.IsChinese(culture) ? component.Name : component.NameEn,
        };
    }

    /// <summary>
    /// What stands in place of a rank on a component that does not judge a district yet (<c>IndicatorStanding.Unranked</c>):
    /// 未观摩 on the inspection score, 未评定 on the grades.
    /// </summary>
    public static string Unranked(Indicator component, CultureInfo? culture = null) =>
        Strings.GetString(component.Code == CityStandings.GradeCode ? "Ranking_NotGraded" : "Ranking_NotVisited", culture ?? CultureInfo.CurrentUICulture)!;

    /// <summary>A district's place on one component as a table cell shows it: the rank, or what stands in its place.</summary>
    public static string Place(Indicator component, Core.Ranking.IndicatorStanding standing, CultureInfo? culture = null) =>
        standing.Unranked ? Unranked(component, culture) : standing.Rank.ToString(culture ?? CultureInfo.CurrentCulture);
}
