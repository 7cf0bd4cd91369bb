using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace LiveBoard.Web.Operations;

/// <summary>
/// Redis carries the change feed and the hub between instances. Without it an instance still serves its own writes
/// and screens, and catches up from the database when Redis is back, so an outage is reported as Degraded (readiness
/// stays 200): taking every instance out of the load balancer, and making every wall display wait before reloading,
/// would turn a cross-instance delay into a city-wide blackout.
/// </summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"Redis answers ({latency.TotalMilliseconds:0.0} ms)");
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return HealthCheckResult.Degraded(
                "Redis unreachable: this instance serves its own writes; other instances' changes arrive when Redis is back", ex);
        }
    }
}
