using System.Net;
using LiveBoard.Web.Data;
using LiveBoard.Web.Diagnostics;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Operations.ApiDocs;
using LiveBoard.Web.Operations.Backups;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.EntityFrameworkCore;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace LiveBoard.Web.Operations;

/// <summary>Running LiveBoard for real: backups, the instance lock, metrics, health.</summary>
public static class OperationsExtensions
{
    public const string MetricsPath = "/metrics";

    public static IServiceCollection AddOperations(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<BackupFolder>();
        services.AddSingleton<ServerInstance>();
        services.AddHostedService<NativeHeapTrimmer>();
        services.AddHostedService<AutomaticBackups>();
        services.AddHostedService<WriteLog.FigureChanges>();
        services.AddApiDocumentation();
        // One JSON object per line, with scopes (RequestId, User, District), for a log collector.
        if (configuration.GetValue("LiveBoard:Logging:Json", false))
            services.AddLogging(b => b.AddJsonConsole(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
            }));

        services.AddHealthChecks()
            .AddDbContextCheck<LiveBoardDbContext>("database", tags: [HealthEndpoints.ReadyTag])
            .AddCheck<MigrationsHealthCheck>("migrations", tags: [HealthEndpoints.ReadyTag]);

        services.AddSingleton<OperationsMetrics>();
        services.AddScoped<CircuitHandler, OperationsMetrics.Circuits>();
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("LiveBoard"))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                // Hub connections (signalr.server.active_connections) and Kestrel's connections come from ASP.NET Core.
                .AddMeter(LiveBoardMetrics.MeterName, "Microsoft.AspNetCore.Http.Connections", "Microsoft.AspNetCore.Server.Kestrel")
                // Every scrape reads the numbers of that moment; Prometheus decides how often.
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        // Traces leave the machine only where an operator points them (the standard OTel variable).
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
            telemetry.WithTracing(t => t.AddAspNetCoreInstrumentation().AddOtlpExporter());
        return services;
    }

    public static void MapOperations(this WebApplication app)
    {
        app.MapHealth();
        app.MapBackupDownload();
        app.MapApiDocumentation();
        app.Services.GetRequiredService<OperationsMetrics>();
        // Request counts, queue depths and circuit numbers tell an outsider how busy and how big the campaign is:
        // loopback (a local Prometheus or node agent) and signed-in organisers only, unless LiveBoard:Metrics:Public.
        var metrics = app.MapPrometheusScrapingEndpoint(MetricsPath);
        if (!app.Configuration.GetValue("LiveBoard:Metrics:Public", false))
            metrics.RequireAuthorization(p => p.RequireAssertion(c =>
                (c.Resource is HttpContext http && LocalCaller(http)) || c.User.IsInRole(Roles.Organiser)));
    }

    /// <summary>
    /// A caller on this machine, not a request a reverse proxy on this machine passed on: behind nginx every request
    /// comes from 127.0.0.1, and the proxy's X-Forwarded-For says it started elsewhere.
    /// </summary>
    public static bool LocalCaller(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip) && !http.Request.Headers.ContainsKey("X-Forwarded-For");

    /// <summary>
    /// Before migrations run: marks the database as used by this instance (a restore then refuses), and backs the file
    /// up when migrations are about to change it, so an upgrade can be undone by restoring that copy.
    /// </summary>
    public static async Task BeforeMigratingAsync(this WebApplication app, LiveBoardDbContext db)
    {
        // PostgreSQL is backed up with its own tools (docs/deploy.md); the instance lock is about one SQLite file.
        if (!db.Database.IsSqlite() || SqliteBackup.DatabaseFile(db.Database.GetConnectionString()!) is not { } file) return;
        var instance = InstanceLock.TakeShared(file);
        app.Lifetime.ApplicationStopped.Register(instance.Dispose);
        if (!File.Exists(file) || !(await db.Database.GetAppliedMigrationsAsync()).Any()) return;
        if ((await db.Database.GetPendingMigrationsAsync()).Any())
            await app.Services.GetRequiredService<BackupFolder>().TakeAsync(BackupFolder.BeforeMigration);
    }
}
