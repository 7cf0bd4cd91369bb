using System.Reflection;
using System.Threading.RateLimiting;

namespace LiveBoard.Web.Security;

/// <summary>
/// ASP.NET Core's rate-limiting middleware builds a partitioned limiter whose timer ticks every 100 ms, and nothing ever
/// disposes it (dotnet/aspnetcore#66434, #69259): the timer keeps the limiter, the middleware, the rest of the pipeline
/// and the app's services reachable after the app has stopped. One app per process never notices. A process that starts
/// and stops apps one after another (the test suite starts hundreds) kept every one of them, with all their timers
/// ticking: the web tests' host grew to 4 GB. So the middleware is built in a branch of its own, where its instance is
/// known, and its limiters are disposed when the app has stopped.
/// </summary>
public static class RateLimiterLifetime
{
    public static WebApplication UseRateLimiterStoppedWithTheApp(this WebApplication app)
    {
        IApplicationBuilder pipeline = app;
        pipeline.Use(next =>
        {
            var branch = pipeline.New();
            branch.UseRateLimiter();
            branch.Run(next);
            var limited = branch.Build();
            // UseMiddleware binds the middleware's Invoke to its instance: the delegate's target is the middleware.
            if (limited.Target is { } middleware)
                app.Lifetime.ApplicationStopped.Register(() => DisposeLimiters(middleware));
            return limited;
        });
        return app;
    }

    /// <summary>
    /// Disposes the limiters the middleware holds, found by type (its fields are private): should a later ASP.NET Core
    /// hold them differently, nothing is disposed and StoppedAppTests fails.
    /// </summary>
    private static void DisposeLimiters(object middleware)
    {
        foreach (var field in middleware.GetType().GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public))
            if (typeof(PartitionedRateLimiter<HttpContext>).IsAssignableFrom(field.FieldType)
                && field.GetValue(middleware) is PartitionedRateLimiter<HttpContext> limiter)
                limiter.Dispose();
    }
}
