using LiveBoard.Web.Security;

namespace LiveBoard.Web.Hosting;

/// <summary>
/// A stop (a deploy, a service restart: SIGTERM) closes every hub connection and circuit as soon as the application
/// starts stopping, but Kestrel goes on accepting until the other hosted services have stopped. A client that reconnects
/// in that window (SignalR clients retry at once, wall displays within a second) gets a connection nobody closes any
/// more, and the stop then waits for it until the host's shutdown timeout: with 200 reconnecting hub viewers, SIGTERM →
/// exit took 30 s instead of 0.1 s (bench wave 2, reconnect storm), 30 s more of dark screens on every restart. Refused
/// instead, those clients back off and find the new server.
/// </summary>
public static class ShutdownGate
{
    public static IApplicationBuilder UseShutdownGate(this IApplicationBuilder app)
    {
        var stopping = app.ApplicationServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        // Not async: a middleware that awaits the rest of the pipeline keeps its state for as long as the request lasts,
        // which for a hub viewer or a wall is its whole connection.
        return app.Use((http, next) =>
        {
            // Only the long-lived connections: an ordinary request that arrives now still finishes before the server stops.
            if (stopping.IsCancellationRequested && OriginCheck.IsLive(http.Request.Path))
            {
                http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                http.Response.Headers.RetryAfter = "1";
                http.Response.Headers.Connection = "close";
                return Task.CompletedTask;
            }
            return next(http);
        });
    }
}
