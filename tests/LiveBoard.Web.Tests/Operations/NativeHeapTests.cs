using System.Runtime.InteropServices;
using LiveBoard.Web.Operations;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>
/// The C heap keeps what is freed in the middle of an arena resident until it is trimmed: the soak's "free kept" memory.
/// Checked page by page with mincore, so other tests allocating meanwhile cannot disturb it.
/// </summary>
public sealed class NativeHeapTests
{
    private const int Block = 64 * 1024; // below glibc's mmap threshold: served from an arena, like the JIT's scratch
    private static readonly int Page = Environment.SystemPageSize;

#pragma warning disable SYSLIB1054
    [DllImport("libc.so.6", SetLastError = true)]
    private static extern int mincore(nint addr, nuint length, byte[] vec);
#pragma warning restore SYSLIB1054

    [Fact]
    public void Freed_native_memory_stays_resident_until_trimmed_and_trimming_hands_it_back()
    {
        if (!OperatingSystem.IsLinux() || NativeHeap.Read() is null) return; // glibc only; the server's OS is Debian
        // Freed blocks between blocks of the same size still in use, so no two merge and nothing merges into the arena's
        // top (which glibc trims by itself).
        var freed = new List<nint>();
        var kept = new List<nint>();
        for (var i = 0; i < 64; i++)
        {
            var block = Marshal.AllocHGlobal(Block);
            for (var offset = 0; offset < Block; offset += Page) Marshal.WriteByte(block, offset, 1); // resident now
            freed.Add(block);
            kept.Add(Marshal.AllocHGlobal(Block));
        }
        try
        {
            foreach (var block in freed) Marshal.FreeHGlobal(block);
            var before = ResidentPages(freed);
            Assert.True(before > freed.Count * 8, $"freed blocks should still be resident before a trim: {before} pages");

            Assert.True(NativeHeap.Trim(), "malloc_trim gave nothing back");

            var after = ResidentPages(freed);
            Assert.True(after < before / 4, $"{after} of {before} freed pages still resident after the trim");
        }
        finally
        {
            foreach (var block in kept) Marshal.FreeHGlobal(block);
        }
    }

    [Fact]
    public void A_freed_block_of_megabytes_does_not_send_later_large_blocks_into_the_arenas()
    {
        if (!OperatingSystem.IsLinux() || NativeHeap.Read() is null) return; // glibc only
        // glibc carves a block of any size from free space an arena already has: its top, which it cuts back only past
        // a trim threshold that rose with the large-block one before this process's servers set it (a 512 KB block
        // was carved from there once in the full suite), or a free block big enough. So the top is trimmed first and the
        // sizes are above the free blocks this process's other tests leave: only the threshold decides.
        NativeHeap.Trim();
        Assert.True(NativeHeap.KeepLargeBlocksApart(), "mallopt refused the threshold");
        // What the server GC does when it grows its mark lists: frees a block of megabytes (below glibc's 32 MB cap for
        // raising the threshold). Left to itself glibc then serves every block below that size from an arena, which
        // keeps it resident after it is freed.
        var freed = Marshal.AllocHGlobal(24 << 20);
        Assert.True(IsMapped(freed), "the 24 MB block was not mapped on its own, so freeing it tells nothing");
        Marshal.FreeHGlobal(freed);
        var block = Marshal.AllocHGlobal(16 << 20);
        try
        {
            Assert.True(IsMapped(block), "a 16 MB block was carved from an arena after a freed 24 MB block");
        }
        finally
        {
            Marshal.FreeHGlobal(block);
        }
    }

    /// <summary>glibc marks a block with pages of its own (handed back by free at once) in the size word before it: IS_MMAPPED.</summary>
    private static bool IsMapped(nint block) => (Marshal.ReadInt64(block - 8) & 2) != 0;

    /// <summary>Resident pages lying wholly inside the given blocks (their first and last partial pages left out).</summary>
    private static int ResidentPages(IEnumerable<nint> blocks)
    {
        var resident = 0;
        foreach (var block in blocks)
        {
            var start = (block + Page - 1) / Page * Page;
            var end = (block + Block) / Page * Page;
            if (end <= start) continue;
            var vec = new byte[(end - start) / Page];
            Assert.Equal(0, mincore(start, (nuint)(end - start), vec));
            resident += vec.Count(v => (v & 1) != 0);
        }
        return resident;
    }
}
