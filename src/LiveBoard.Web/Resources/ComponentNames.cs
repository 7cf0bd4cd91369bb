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
}
