using LiveBoard.Testing;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>
/// A process that starts and stops LiveBoard keeps nothing of a stopped app. ASP.NET Core's rate limiter kept every one
/// alive, its pipeline and services with it, through a timer nobody disposed (<see cref="LiveBoard.Web.Security.RateLimiterLifetime"/>);
/// the test hosts start hundreds of apps, and the web tests' host grew to 4 GB.
/// </summary>
public sealed class StoppedAppTests
{
    [Fact]
    public async Task A_stopped_app_is_let_go_with_its_services()
    {
        // One app first, not looked at: the first app a process starts may be kept by a library's process-wide worker that
        // captured the context it started in (OpenTelemetry's self-diagnostics), once per process, not once per app.
        await StartAndStopAsync();
        var stopped = new[] { await StartAndStopAsync(), await StartAndStopAsync() };
        await Eventually.Until(() =>
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            return stopped.All(app => !app.IsAlive);
        }, TimeSpan.FromSeconds(10), "both stopped apps' services collected");
    }

    private static async Task<WeakReference> StartAndStopAsync()
    {
        var host = new LiveBoardHost();
        var root = host.Start();
        using (var http = new HttpClient { BaseAddress = root })
            (await http.GetAsync("healthz")).EnsureSuccessStatusCode();
        var services = new WeakReference(host.Services);
        await host.DisposeAsync();
        return services;
    }
}
