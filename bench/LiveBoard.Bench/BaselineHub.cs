using LiveBoard.Bench.BareCircuit;
using Microsoft.AspNetCore.SignalR;

namespace LiveBoard.Bench;

/// <summary>
/// The floor for fan-out: a bare SignalR hub (no database, no ranking, no rendering) that broadcasts a payload
/// of the same size as LiveBoard's event. Runs as a sibling process so its CPU and memory are its own.
/// </summary>
public static class BaselineHub
{
    public const string EventName = "Broadcast";

    public sealed class Hub : Microsoft.AspNetCore.SignalR.Hub
    {
        // The reconnect storm's floor: a client that connects gets a "Snapshot" as large as LiveBoard's, as LiveBoard
        // sends one, serialised per connection as SignalR does for a send to one caller.
        public override async Task OnConnectedAsync()
        {
            if (SnapshotPad is { } pad) await Clients.Caller.SendAsync("Snapshot", new { pad });
            await base.OnConnectedAsync();
        }
    }

    private static string? SnapshotPad;

    /// <summary>This same program as the baseline server, in its own process on <paramref name="port"/>.</summary>
    public static Task<ServerProcess> StartAsync(int port, int snapshotBytes = 0)
    {
        var portText = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var bytes = snapshotBytes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        // Started as `dotnet LiveBoard.Bench.dll` (as the test does), the process is the dotnet host and needs the
        // assembly named again.
        string[] args = Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet"
            ? [typeof(BaselineHub).Assembly.Location, "--baseline-server", portText, bytes]
            : ["--baseline-server", portText, bytes];
        return ServerProcess.StartAsync(Environment.ProcessPath!, args, new Dictionary<string, string>(), port);
    }

    /// <param name="snapshotBytes">0: no snapshot on connect (the fan-out's floor).</param>
    public static async Task RunServerAsync(int port, int snapshotBytes = 0)
    {
        if (snapshotBytes > 0) SnapshotPad = new string('x', Math.Max(0, snapshotBytes - """{"pad":""}""".Length));
        // The content root is the bench's own folder: the bare Blazor page's static assets (blazor.web.js) are found from
        // its manifest there, whichever folder the bench was started in.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseStaticWebAssets();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Services.AddSignalR();
        builder.Services.AddBareCircuit();
        // Clients that reconnect while it stops get connections it no longer closes, and a bare host waits for them until
        // its shutdown timeout (30 s; LiveBoard refuses them instead, see ShutdownGate). The reconnect storm measures
        // from the new server's first answer, so the old one's stop is cut short here rather than waited for.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(1));
        var app = builder.Build();
        app.MapHub<Hub>("/hub");
        app.MapBareCircuit();
        app.MapGet("/healthz", () => "ok");
        // Memory per connection, read as LiveBoard's /diagnostics/gc reads it (a forced compacting GC first), so the bare
        // hub's bytes per connection stand beside LiveBoard's in the same run.
        app.MapPost("/gc", () =>
        {
            System.Runtime.GCSettings.LargeObjectHeapCompactionMode = System.Runtime.GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            return Results.Ok(new { rssBytes = Environment.WorkingSet, managedBytes = GC.GetTotalMemory(false), jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() });
        });
        // The trigger: the bench POSTs here as it would POST a report to LiveBoard.
        app.MapPost("/broadcast", async (long id, int size, IHubContext<Hub> hub) =>
        {
            await hub.Clients.All.SendAsync(EventName, new { id, pad = new string('x', Math.Max(0, size)) });
            return Results.Ok();
        });
        await app.RunAsync();
    }
}
