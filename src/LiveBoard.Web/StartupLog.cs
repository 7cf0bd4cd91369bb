using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LiveBoard.Web;

/// <summary>
/// What a first start says while it works (a first start migrates, loads the demo and hashes some twenty demo
/// passwords, which takes a while on a small machine) and, once listening, where to point a browser.
/// </summary>
public static partial class StartupLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Database file: {Path} (migrating if needed)")]
    public static partial void Database(ILogger logger, string path);

    [LoggerMessage(Level = LogLevel.Information, Message = "Preparing the demo accounts (first start: this takes a few seconds)")]
    public static partial void DemoAccounts(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "LiveBoard is ready: open {Url} (sign in as organiser, leader or reporter-<district> with the demo password)")]
    public static partial void Ready(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo wall display: {Url}")]
    public static partial void DemoScreen(ILogger logger, string url);

    [LoggerMessage(Level = LogLevel.Information, Message = "Garbage collector: {Kind}, gen0 budget up to {Gen0Mb:F0} MB")]
    public static partial void GarbageCollector(ILogger logger, string kind, double gen0Mb);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{File} (beside LiveBoard.Web.dll) is not in this process's environment: {Names}. LiveBoard runs with the runtime's defaults, not the settings it is measured with; load the file in the service unit (docs/deploy.md)")]
    public static partial void RuntimeSettingsNotLoaded(ILogger logger, string file, string names);

    /// <summary>
    /// Which garbage collector runs, and whether runtime.env was loaded: the runtime takes those settings from the
    /// environment only, so a unit that forgets the file runs LiveBoard on the server GC without anyone noticing.
    /// Development (`dotnet run`) runs on the runtime's defaults on purpose and is not warned.
    /// </summary>
    public static void Runtime(WebApplication app)
    {
        var budget = GC.GetConfigurationVariables().TryGetValue("GCGen0MaxBudget", out var bytes) ? Convert.ToDouble(bytes, System.Globalization.CultureInfo.InvariantCulture) / 1048576 : 0;
        GarbageCollector(app.Logger, System.Runtime.GCSettings.IsServerGC ? "server" : "workstation", budget);
        if (app.Environment.IsDevelopment()) return;
        var missing = Operations.RuntimeSettings.NotApplied(AppContext.BaseDirectory);
        if (missing.Count > 0) RuntimeSettingsNotLoaded(app.Logger, Operations.RuntimeSettings.FileName, string.Join(", ", missing));
    }

    /// <summary>The first address Kestrel listens on, as a browser would type it (a wildcard host becomes localhost).</summary>
    public static string Root(IServiceProvider services)
    {
        var address = services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? "http://127.0.0.1:5080";
        foreach (var wildcard in (string[])["://+", "://*", "://0.0.0.0", "://[::]"])
            address = address.Replace(wildcard, "://localhost", StringComparison.Ordinal);
        return address.TrimEnd('/') + "/";
    }

    /// <summary>Once Kestrel listens: say where to open LiveBoard.</summary>
    public static void WhenListening(WebApplication app) =>
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var root = Root(app.Services);
            Ready(app.Logger, root);
        });
}
