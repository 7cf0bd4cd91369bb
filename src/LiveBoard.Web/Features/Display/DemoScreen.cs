using LiveBoard.Web.Data;
namespace LiveBoard.Web.Features.Display;

public static partial class DemoScreen
{
    public const string Slug = "demo";

    /// <summary>
    /// In demo mode one screen exists from the first start so a wall PC can be pointed at it straight away.
    /// Its key comes from LiveBoard:DemoScreenKey (env LiveBoard__DemoScreenKey) or is generated; the URL with the key
    /// is logged only when the screen is created, because afterwards only the key's hash is stored.
    /// </summary>
    public static async Task EnsureDemoScreenAsync(this WebApplication app)
    {
        var displays = app.Services.GetRequiredService<DisplayService>();
        if ((await displays.ListAsync()).Any(s => s.Slug == Slug)) return;
        var created = await displays.CreateAsync(new NewScreen("演示大屏", Slug), app.Configuration["LiveBoard:DemoScreenKey"]);
        LogDemoScreenCreated(app.Logger, created.RelativeUrl);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo screen created: open {Url} on the wall display (the key is shown only now)")]
    private static partial void LogDemoScreenCreated(ILogger logger, string url);
}
