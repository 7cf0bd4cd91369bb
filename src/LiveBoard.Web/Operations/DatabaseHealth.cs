using System.Text.Json;
using LiveBoard.Web.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LiveBoard.Web.Operations;

/// <summary>
/// Ready means the database answers and is at the code's migration: an instance started against a file a restore
/// brought back from an older version, or one whose migration failed, must not be sent traffic.
/// </summary>
public sealed class MigrationsHealthCheck(IDbContextFactory<LiveBoardDbContext> factory) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var pending = (await db.Database.GetPendingMigrationsAsync(cancellationToken)).ToList();
        return pending.Count == 0
            ? HealthCheckResult.Healthy("all migrations applied")
            : HealthCheckResult.Unhealthy($"{pending.Count} migration(s) not applied: {string.Join(", ", pending)}");
    }
}

public static class HealthEndpoints
{
    public const string Live = "/healthz/live";
    public const string Ready = "/healthz/ready";
    /// <summary>Kept for the wall displays' reload check and existing monitors: the same as <see cref="Ready"/>.</summary>
    public const string Legacy = "/healthz";
    public const string ReadyTag = "ready";

    public static void MapHealth(this WebApplication app)
    {
        // Live: the process answers; nothing is touched, so a slow database never gets a healthy process restarted.
        app.MapHealthChecks(Live, new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        var ready = new HealthCheckOptions { Predicate = c => c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync };
        app.MapHealthChecks(Ready, ready);
        app.MapHealthChecks(Legacy, ready);
    }

    /// <summary>
    /// Status and one line per check, so an operator reads why an instance is not ready; and which run of the server
    /// answered (<see cref="ServerInstance"/>: a wall display reloads when it changes).
    /// </summary>
    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        return http.Response.WriteAsync(JsonSerializer.Serialize(new
        {
            status = report.Status.ToString(),
            instance = http.RequestServices.GetRequiredService<ServerInstance>().Id,
            checks = report.Entries.ToDictionary(e => e.Key, e => new { status = e.Value.Status.ToString(), description = e.Value.Description }),
        }));
    }
}
