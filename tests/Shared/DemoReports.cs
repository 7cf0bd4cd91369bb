using LiveBoard.Core;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Features.Reporting;

namespace LiveBoard.Testing;

/// <summary>Reports against the Tongliao demo that tests use to move the ranking.</summary>
public static class DemoReports
{
    /// <summary>Hure Banner (库伦旗) reports figures that take it from the middle of the table to first place.</summary>
    public static ReportRequest HureTakesTheLead(string reason = "核实补报", string channel = Channels.Api) => new("hure",
    [
        new FigureEntry("signed-projects", 90, null, reason),
        new FigureEntry("signed-investment", 700, null, reason),
        new FigureEntry("started-projects", 50, null, reason),
        new FigureEntry("funds-in-place", 60, null, reason),
    ], "reporter-hure", channel);
}
