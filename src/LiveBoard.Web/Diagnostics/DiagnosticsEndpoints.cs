using System.Net;
using System.Runtime;

namespace LiveBoard.Web.Diagnostics;

/// <summary>
/// Measurement hooks for the bench (bench/LiveBoard.Bench): off unless LiveBoard:Diagnostics=true, and even then
/// answered only to loopback callers, because a forced full GC is a cheap way to stall a production server.
/// </summary>
public static class DiagnosticsEndpoints
{
    public const string GcPath = "/diagnostics/gc";

    public static void MapDiagnosticsEndpoints(this WebApplication app)
    {
        if (!app.Configuration.GetValue("LiveBoard:Diagnostics", false)) return;
        // Memory per connection = (RSS after − RSS before) / connections, both read after this forced, compacting GC,
        // so garbage left over from connecting is not counted as the connections' cost.
        app.MapPost(GcPath, (HttpContext http) =>
        {
            if (http.Connection.RemoteIpAddress is not { } ip || !IPAddress.IsLoopback(ip)) return Results.NotFound();
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            return Results.Ok(new { managedBytes = GC.GetTotalMemory(false), heapBytes = GC.GetGCMemoryInfo().HeapSizeBytes });
        }).DisableAntiforgery().WithoutStatusCodePages();
    }
}
