using LiveBoard.Web.Api;
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
    public const string CircuitsPath = "/diagnostics/circuits";
    public const string JitPath = "/diagnostics/jit";

    public static bool Enabled(IConfiguration config) => config.GetValue("LiveBoard:Diagnostics", false);

    public static void AddDiagnostics(this IServiceCollection services, IConfiguration config)
    {
        if (!Enabled(config)) return;
        OpenCircuits.AddTo(services);
    }

    public static void MapDiagnosticsEndpoints(this WebApplication app)
    {
        if (!Enabled(app.Configuration)) return;
        // Memory per connection = (RSS after − RSS before) / connections, both read after this forced, compacting GC,
        // so garbage left over from connecting is not counted as the connections' cost. The last collection is the
        // aggressive kind, which also hands the GC's free pages back to the OS, so RSS counts memory in use.
        app.MapPost(GcPath, (HttpContext http) =>
        {
            if (!Loopback(http)) return Results.NotFound();
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            var gc = GC.GetGCMemoryInfo();
            // Read here, at once: the bench's own read of /proc comes after the response, and on a busy server the requests
            // allocating in between (the soak's 2,000 hub messages a second) put megabytes of fresh gen0 into it.
            var rss = Environment.WorkingSet;
            var native = LiveBoard.Web.Operations.NativeHeap.Read();
            return Results.Ok(new
            {
                rssBytes = rss,
                managedBytes = GC.GetTotalMemory(false),
                heapBytes = gc.HeapSizeBytes,
                // What the GC keeps from the OS beside the live objects: RSS minus this is native memory and code, so the
                // soak can tell a managed leak, the GC's own reserve and native growth apart.
                gcCommittedBytes = gc.TotalCommittedBytes,
                // SQLite's own allocations (page caches of the pooled connections, statements): native, outside the GC.
                sqliteBytes = SqliteMemoryUsed(http.RequestServices),
                // The C heap as glibc counts it: blocks in use, and freed blocks it keeps (RSS it does not return).
                mallocInUseBytes = native?.InUse,
                mallocFreeKeptBytes = native?.FreeKept,
                mallocLargeBlocks = native?.LargeBlocks,
                mallocLargeBytes = native?.LargeBytes,
                // New code is memory too, and not any connection's: the bench reports how much JIT work a measurement saw.
                jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount(),
            });
        }).DisableAntiforgery().WithoutStatusCodePages();
        // Methods compiled so far and the time spent compiling: a bench warms a server up until this stops growing, so that
        // tiered compilation (which goes on for tens of seconds under load) is not counted as the cost of what it measures.
        app.MapGet(JitPath, (HttpContext http) => Loopback(http)
            ? Results.Ok(new { methods = System.Runtime.JitInfo.GetCompiledMethodCount(), milliseconds = System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds })
            : Results.NotFound()).WithoutStatusCodePages();
        // Circuits still held by the server (connected or kept for reconnection): the bench waits for its warm-up tabs'
        // circuits to be gone before it measures memory per circuit.
        app.MapGet(CircuitsPath, (HttpContext http, OpenCircuits open) =>
            Loopback(http) ? Results.Ok(new { circuits = open.Count }) : Results.NotFound()).WithoutStatusCodePages();
    }

    private static long? SqliteMemoryUsed(IServiceProvider services) =>
        services.GetService<LiveBoard.Web.Data.LiveBoardDatabase>() is { Provider: LiveBoard.Web.Data.DatabaseProvider.Sqlite }
            ? SQLitePCL.raw.sqlite3_memory_used()
            : null;

    private static bool Loopback(HttpContext http) => http.Connection.RemoteIpAddress is { } ip && IPAddress.IsLoopback(ip);
}
