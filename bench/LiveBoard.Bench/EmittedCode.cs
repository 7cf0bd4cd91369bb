using System.Runtime.InteropServices;
using Microsoft.Diagnostics.Runtime;

namespace LiveBoard.Bench;

/// <summary>
/// `LiveBoard.Bench emitted &lt;heap dump&gt;…`: the methods a server emitted at run time (Reflection.Emit's
/// DynamicMethod) that are still alive, counted by name and by the System.Text.Json contract that holds each one.
/// A count equal to the number of open circuits is code emitted again for every circuit. A gcdump shows only the
/// dynamic methods' total size, not whose they are, hence a heap dump (`dotnet-dump collect --type Heap`, or
/// BENCH_DUMP_TOOL beside BENCH_GCDUMP_DIR) read with ClrMD.
/// </summary>
public static class EmittedCode
{
    private const string DynamicMethod = "System.Reflection.Emit.DynamicMethod";
    private const string JsonMetadata = "System.Text.Json.Serialization.Metadata.";

    public static int Run(string[] dumps, Action<string> say)
    {
        if (dumps.Length == 0)
        {
            say("usage: LiveBoard.Bench emitted <heap dump> [<heap dump> ...]");
            return 2;
        }
        foreach (var dump in dumps)
        {
            if (!File.Exists(dump))
            {
                say($"{dump}: no such file");
                return 2;
            }
            say($"== {dump}");
            foreach (var (count, what) in Count(dump)) say($"{count,6}  {what}");
        }
        return 0;
    }

    /// <summary>Live dynamic methods by name and JSON owner, most frequent first.</summary>
    public static IEnumerable<(int Count, string What)> Count(string dump)
    {
        using var target = DataTarget.LoadDump(dump);
        // The dump was taken on this machine, so the runtime that reads it is the one the bench runs on.
        var dac = Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "libmscordaccore.so");
        using var runtime = File.Exists(dac) ? target.ClrVersions[0].CreateRuntime(dac, true) : target.ClrVersions[0].CreateRuntime();
        var heap = runtime.Heap;
        // Who refers to whom, kept only a few referrers deep: the owner is found by walking up from each method.
        var referrers = new Dictionary<ulong, List<ulong>>();
        var methods = new List<ClrObject>();
        foreach (var o in heap.EnumerateObjects())
        {
            if (o.Type is null) continue;
            if (o.Type.Name == DynamicMethod) methods.Add(o);
            foreach (var to in o.EnumerateReferenceAddresses(carefully: false))
            {
                if (!referrers.TryGetValue(to, out var list)) referrers[to] = list = new List<ulong>(1);
                if (list.Count < 8) list.Add(o.Address);
            }
        }
        string Owner(ulong method)
        {
            var seen = new HashSet<ulong> { method };
            var queue = new Queue<(ulong Address, int Depth)>([(method, 0)]);
            while (queue.TryDequeue(out var at))
            {
                var type = heap.GetObjectType(at.Address)?.Name ?? "";
                if (type.StartsWith(JsonMetadata + "JsonTypeInfo", StringComparison.Ordinal) || type.StartsWith(JsonMetadata + "JsonPropertyInfo", StringComparison.Ordinal))
                    return type[JsonMetadata.Length..];
                if (at.Depth < 10 && referrers.TryGetValue(at.Address, out var from))
                    foreach (var f in from) if (seen.Add(f)) queue.Enqueue((f, at.Depth + 1));
            }
            return "(not JSON metadata)";
        }
        return methods
            .GroupBy(m => $"{m.ReadStringField("_name") ?? "?"}  ←  {Owner(m.Address)}")
            .Select(g => (g.Count(), g.Key))
            .OrderByDescending(g => g.Item1).ThenBy(g => g.Key, StringComparer.Ordinal)
            .ToList();
    }
}
