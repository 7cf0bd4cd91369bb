using System.Globalization;

namespace LiveBoard.Bench;

/// <summary>Latency distribution in milliseconds.</summary>
public sealed record Distribution(int Count, double P50, double P95, double P99, double Max)
{
    public static Distribution Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0) return new Distribution(0, double.NaN, double.NaN, double.NaN, double.NaN);
        var sorted = samples.Order().ToArray();
        return new Distribution(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 95), Percentile(sorted, 99), sorted[^1]);
    }

    // Nearest-rank percentile: a value that was actually observed.
    public static double Percentile(double[] sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

    public string Row() => $"{P50:F1} | {P95:F1} | {P99:F1} | {Max:F1}";
}

/// <summary>CPU time and resident memory of another process, read from /proc (Linux).</summary>
public sealed class ProcessMeter(int pid)
{
    private static readonly double TicksPerSecond = 100; // USER_HZ on Linux

    public double CpuSeconds() => Stat(pid).CpuSeconds;

    /// <summary>A process's parent and its CPU seconds so far (user + system), from /proc/&lt;pid&gt;/stat.</summary>
    public static (int Parent, double CpuSeconds) Stat(int pid)
    {
        var stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised command name; ppid is field 4, utime and stime are fields 14 and 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (int.Parse(fields[1], CultureInfo.InvariantCulture), (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond);
    }

    public long RssBytes()
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
        return 0;
    }

    /// <summary>
    /// The resident part of the runtime's executable memory: with W^X on (the default) the JIT's code heap and the stubs
    /// live in mappings named "doublemapper", whose resident pages /proc/&lt;pid&gt;/smaps lists (both views of a page).
    /// </summary>
    public long CodeBytes()
    {
        long kb = 0;
        var inCode = false;
        foreach (var line in File.ReadLines($"/proc/{pid}/smaps"))
        {
            // A mapping's header ("7f3a…-7f3b… r-xs 00000000 00:01 123 /memfd:doublemapper (deleted)") starts a new mapping.
            var first = line.Split(' ', 2)[0];
            if (first.Contains('-', StringComparison.Ordinal) && first.All(c => c == '-' || char.IsAsciiHexDigit(c)))
                inCode = line.Contains("doublemapper", StringComparison.Ordinal);
            else if (inCode && line.StartsWith("Rss:", StringComparison.Ordinal))
                kb += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
        }
        return kb * 1024;
    }

    /// <summary>Samples RSS every 100 ms while a phase runs; the peak is the phase's peak.</summary>
    public async Task<PhaseCost> MeasureAsync(Func<Task> phase)
    {
        var cpu0 = CpuSeconds();
        long peak = RssBytes();
        using var stop = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, RssBytes());
                try { await Task.Delay(100, stop.Token); } catch (OperationCanceledException) { }
            }
        });
        await phase();
        stop.Cancel();
        await sampler;
        return new PhaseCost(CpuSeconds() - cpu0, Math.Max(peak, RssBytes()));
    }
}

public sealed record PhaseCost(double CpuSeconds, long PeakRssBytes)
{
    public string PeakMb => (PeakRssBytes / 1024.0 / 1024.0).ToString("F0", CultureInfo.InvariantCulture);
}

/// <summary>
/// CPU of the processes the bench started other than the servers: Chromium and the Playwright driver. The tabs run on the
/// servers' cores, so their cost is part of what the circuit latencies are measured under.
/// </summary>
public static class BrowserMeter
{
    public static double CpuSeconds(IReadOnlySet<int> servers) => Descendants(servers).Sum(pid => Try(() => ProcessMeter.Stat(pid).CpuSeconds));

    /// <summary>The browsers' resident memory: the sum of their processes' RSS (shared pages counted in each).</summary>
    public static long RssBytes(IReadOnlySet<int> servers) => Descendants(servers).Sum(pid => Try(() => new ProcessMeter(pid).RssBytes()));

    private static T Try<T>(Func<T> read) where T : struct
    {
        try { return read(); }
        catch (IOException) { return default; } // exited while we looked
    }

    private static List<int> Descendants(IReadOnlySet<int> servers)
    {
        var parents = new Dictionary<int, int>();
        var cpu = new Dictionary<int, double>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                (parents[pid], cpu[pid]) = ProcessMeter.Stat(pid);
            }
            catch (IOException) { } // exited while we looked
        }
        var self = Environment.ProcessId;
        bool Descends(int pid)
        {
            for (var p = pid; p > 1 && parents.TryGetValue(p, out var parent); p = parent)
            {
                if (servers.Contains(p)) return false;
                if (parent == self) return true;
            }
            return false;
        }
        return [.. cpu.Keys.Where(Descends)];
    }
}
