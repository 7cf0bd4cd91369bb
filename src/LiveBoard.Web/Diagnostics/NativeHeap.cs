using System.Runtime.InteropServices;

namespace LiveBoard.Web.Diagnostics;

/// <summary>
/// glibc's own account of the C heap (mallinfo2, summed over every arena): what the runtime, the JIT, SQLite and the
/// other native libraries hold in malloc'd blocks, and what malloc keeps from the OS although it is free. A soak that
/// sees RSS grow outside the GC can then tell native data that is alive from freed memory the allocator did not give
/// back. Null where there is no glibc (musl, macOS, Windows).
/// </summary>
internal static class NativeHeap
{
    [StructLayout(LayoutKind.Sequential)]
    private struct MallInfo2
    {
        public nuint Arena, Ordblks, Smblks, Hblks, Hblkhd, Usmblks, Fsmblks, Uordblks, Fordblks, Keepcost;
    }

    // DllImport rather than LibraryImport: a struct of native-sized integers returned by value needs no marshalling, and
    // LibraryImport would make the whole project allow unsafe code for this one diagnostics call.
#pragma warning disable SYSLIB1054
    [DllImport("libc.so.6", EntryPoint = "mallinfo2")]
    private static extern MallInfo2 Mallinfo2();
#pragma warning restore SYSLIB1054

    /// <summary>Bytes in use (small blocks in arenas + large blocks mmapped on their own) and bytes free but kept.</summary>
    public static (long InUse, long FreeKept)? Read()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var m = Mallinfo2();
            return ((long)(m.Uordblks + m.Hblkhd), (long)m.Fordblks);
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }
}
