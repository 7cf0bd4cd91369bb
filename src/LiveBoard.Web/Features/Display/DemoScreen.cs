using System.Security.Cryptography;
using System.Text;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;

namespace LiveBoard.Web.Features.Display;

public static class DemoScreen
{
    public const string Slug = "demo";

    /// <summary>
    /// In demo mode one screen exists from the first start so a wall PC can be pointed at it straight away, and every
    /// start prints its full address. Only a key's hash is stored, so the key must be one the app can say again: it
    /// comes from LiveBoard:DemoScreenKey (env LiveBoard__DemoScreenKey) or is derived from the demo password, which
    /// is as public as demo mode is. A demo screen whose key is neither (rotated by an organiser) keeps its key.
    /// </summary>
    public static async Task EnsureDemoScreenAsync(this WebApplication app)
    {
        var key = Key(app.Configuration);
        var displays = app.Services.GetRequiredService<DisplayService>();
        var screen = (await displays.ListAsync()).FirstOrDefault(s => s.Slug == Slug);
        if (screen is null)
            await displays.CreateAsync(new NewScreen("演示大屏", Slug), key);
        else if (await displays.AuthoriseAsync(Slug, key) is null)
            return;
        var url = DisplayService.Url(Slug, key);
        // The address with host and port is known once Kestrel listens.
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var full = StartupLog.Root(app.Services) + url.TrimStart('/');
            StartupLog.DemoScreen(app.Logger, full);
        });
    }

    public static string Key(IConfiguration configuration) =>
        configuration["LiveBoard:DemoScreenKey"] is { Length: > 0 } configured
            ? configured
            : "demo-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("liveboard-demo-screen:" + DemoAccounts.Password(configuration))))[..20];
}
