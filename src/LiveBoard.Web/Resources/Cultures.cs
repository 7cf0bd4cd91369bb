using System.Globalization;
using LiveBoard.Core.Figures;

namespace LiveBoard.Web;

/// <summary>The UI cultures LiveBoard speaks: Chinese by default, English on request.</summary>
public static class Cultures
{
    public const string Chinese = "zh-CN";
    public const string English = "en";
    public static readonly string[] Supported = [Chinese, English];

    /// <summary>Picks the Chinese or English form of a name stored in data.</summary>
    public static string Pick(string zh, string en) =>
        FigureFormat.IsChinese(CultureInfo.CurrentUICulture) ? zh : en;
}
