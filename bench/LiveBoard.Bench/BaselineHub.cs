using Microsoft.AspNetCore.SignalR;

namespace LiveBoard.Bench;

/// <summary>
/// The floor for fan-out: a bare SignalR hub (no database, no ranking, no rendering) that broadcasts a payload
/// of the same size as LiveBoard's event. Runs as a sibling process so its CPU and memory are its own.
/// </summary>
public static class BaselineHub
{
    public const string EventName = "Broadcast";

    public sealed class Hub : Microsoft.AspNetCore.SignalR.Hub;

    public static async Task RunServerAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR();
        var app = builder.Build();
        app.MapHub<Hub>("/hub");
        app.MapGet("/healthz", () => "ok");
        // The trigger: the bench POSTs here as it would POST a report to LiveBoard.
        app.MapPost("/broadcast", async (long id, int size, IHubContext<Hub> hub) =>
        {
            await hub.Clients.All.SendAsync(EventName, new { id, pad = new string('x', Math.Max(0, size)) });
            return Results.Ok();
        });
        await app.RunAsync();
    }
}
