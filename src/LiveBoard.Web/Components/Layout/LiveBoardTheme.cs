using MudBlazor;

namespace LiveBoard.Web.Components.Layout;

/// <summary>The government-report palette: deep red for the brand, CJK-first fonts served from wwwroot-assets.</summary>
public static class LiveBoardTheme
{
    private static readonly string[] Fonts =
        ["Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", "sans-serif"];

    public static readonly MudTheme Default = new()
    {
        PaletteLight = new PaletteLight
        {
            Primary = "#b71c1c",
            AppbarBackground = "#b71c1c",
            Secondary = "#1565c0",
            Success = "#2e7d32",
            Error = "#c62828",
            // Alert text is drawn in the "darken" shade on a pale background: these keep it above 4.5:1 (WCAG AA).
            WarningDarken = "#7a4100",
            // A filled warning button ("take over the meeting") is orange: white on it reads at 2.1:1, near-black at 9:1.
            WarningContrastText = "rgba(0,0,0,0.87)",
            InfoDarken = "#0b4f8a",
            SuccessDarken = "#1b5e20",
        },
        Typography = new Typography
        {
            Default = new DefaultTypography { FontFamily = Fonts },
        },
    };
}
