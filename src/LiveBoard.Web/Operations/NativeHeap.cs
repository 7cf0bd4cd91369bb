using System.Runtime.InteropServices;

namespace LiveBoard.Web.Operations;

/// <summary>
/// glibc's C heap, which the runtime, the JIT, SQLite and the other native libraries allocate from. Two things: its own
/// account (mallinfo2, summed over every arena) of what is in use and what it keeps although it is free, and handing
/// that free memory back (malloc_trim). Null / no-op where there is no glibc (musl, macOS, Windows).
/// </summary>
internal static class NativeHeap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    // DllImport rather than LibraryImport: nothing here needs marshalling, and LibraryImport would make the whole
    // project allow unsafe code for two calls.
#pragma warning disable SYSLIB1054
    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 Mallinfo2();

    [DllImport("libc.so.6", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);

    [DllImport("libc.so.6", EntryPoint = "mallopt")]
    private static extern int Mallopt(int param, int value);
#pragma warning restore SYSLIB1054

    private const int MmapThresholdParam = -3; // M_MMAP_THRESHOLD in malloc.h

    /// <summary>Blocks from this size up get pages of their own from the OS, handed back the moment they are freed.</summary>
    private const int LargeBlockBytes = 128 * 1024;

    /// <summary>
    /// Keeps glibc's threshold for large blocks where it starts (128 KB) instead of letting it rise. glibc raises it to
    /// the size of every large block freed, up to 32 MB; when the server GC grows its mark lists (~7 minutes into a
    /// stream of changes) it frees two blocks of megabytes, and from then on every block below that size was carved
    /// from the arenas, each keeping what was freed in it: the soak's "free kept" rose to 50–54 MB after minute 7, and
    /// to 16–26 MB with the threshold fixed (RSS growth after minute 2: 38–50 → 11–16 MB), at ~3 more mmap/munmap pairs a
    /// second (BENCHMARKS.md, session 17). Left alone when the operator set MALLOC_MMAP_THRESHOLD_ (glibc read it
    /// already). Process-wide and immediate, unlike the arena count, so calling it first thing in Main is enough.
    /// </summary>
    public static bool KeepLargeBlocksApart() =>
        Environment.GetEnvironmentVariable("MALLOC_MMAP_THRESHOLD_") is null
        && Glibc(() => Mallopt(MmapThresholdParam, LargeBlockBytes) == 1, false);

    /// <summary>
    /// Bytes in use (small blocks in arenas + large blocks mmapped on their own), bytes free but kept, and the large
    /// blocks alone (how many, how big): a runtime structure of megabytes (the server GC's mark lists) shows there.
    /// </summary>
    public static (long InUse, long FreeKept, long LargeBlocks, long LargeBytes)? Read() =>
        Glibc<(long, long, long, long)?>(() =>
        {
            var m = Mallinfo2();
            return ((long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks, (long)m.Hblks, (long)m.Hblkhd);
        }, null);

    /// <summary>Gives the free pages of every arena back to the OS; false where nothing was given back or there is no glibc.</summary>
    public static bool Trim() => Glibc(() => MallocTrim(0) == 1, false);

    /// <summary>
    /// A call into glibc, or <paramref name="otherwise"/> where there is none: not Linux, or a Linux without glibc (musl),
    /// where the library or the entry point is missing.
    /// </summary>
    private static T Glibc<T>(Func<T> call, T otherwise)
    {
        if (!OperatingSystem.IsLinux()) return otherwise;
        try
        {
            return call();
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return otherwise;
        }
    }
}

/// <summary>
/// Hands the C heap's free memory back to the OS every few minutes. glibc keeps what is freed in the middle of its
/// arenas: a server warming up under a stream of changes (the JIT compiling on many threads, each thread with its own
/// arena) freed tens of megabytes of scratch that stayed resident for good, and a wall server that looked as if it
/// leaked ~50 MB in its first ten minutes was only holding garbage (BENCHMARKS.md, soak: malloc in use flat, "free kept"
/// rising). A trim costs a few milliseconds; LiveBoard:NativeTrimMinutes sets the period, 0 turns it off.
/// </summary>
public sealed partial class NativeHeapTrimmer(IConfiguration configuration, ILogger<NativeHeapTrimmer> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var minutes = configuration.GetValue("LiveBoard:NativeTrimMinutes", 2.0);
        if (minutes <= 0 || NativeHeap.Read() is null) return;
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(minutes));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // Free blocks stay free blocks to glibc (its count of them does not move); what changes is what is resident.
                var before = Environment.WorkingSet;
                NativeHeap.Trim();
                LogTrimmed(log, (before - Environment.WorkingSet) / 1048576.0);
            }
        }
        catch (OperationCanceledException) { }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "C heap trimmed: resident memory {FreedMb:F1} MB less")]
    private static partial void LogTrimmed(ILogger logger, double freedMb);
}
