using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace LiveBoard.Bench;

/// <summary>Formats a run as a BENCHMARKS.md section and files it newest first, keeping earlier runs below.</summary>
public static class BenchReport
{
    public const string Title = "# LiveBoard benchmarks";
    private const string Intro = """
        Newest run first. Written by `bench/LiveBoard.Bench` (see README, "Benchmarks"). The machine is shared: numbers
        from one run are noisy; compare percentiles across runs, not single maxima.
        """;

    public static string Section(string[] args, string options, string fanRows, string circuitRows, string memoryRows, string writeRows)
    {
        var sb = new StringBuilder(Header(args, options));
        sb.AppendLine();
        sb.AppendLine("Fan-out: latency from just before each trigger (LiveBoard: `POST /api/v1/reports`; baseline: `POST /broadcast`) to each viewer's receipt of the matching event, over every viewer × submission (ms). Ratio = LiveBoard p99 / baseline p99.");
        sb.AppendLine();
        sb.AppendLine("| hub | viewers | p50 | p95 | p99 | max | delivered | not delivered 15 s after the last submission | server CPU s (all) | server CPU s (broadcasting) | peak RSS MB | generator CPU s (all) | generator CPU s (broadcasting) | p99 ratio |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        sb.Append(fanRows);
        sb.AppendLine();
        if (circuitRows.Length > 0)
        {
            sb.AppendLine("Display circuits: submit → DOM change (MutationObserver stamp) on every tab, every round (ms). Headless Chromium, " +
                "software rendering, on the server's cores; the tabs play the display's animations unless the row says reduced motion. " +
                "Rounds start on a fixed schedule (see Run), after an unmeasured warm-up: the same number of tabs opened, " +
                "played the warm-up's length of rounds and closed, and the server let their circuits go. Browser CPU = Chromium and the Playwright driver, on the same cores. " +
                "The … rows split the same samples at the server's stamp of the snapshot the tab shows (data-snapshot-at, same clock). " +
                "The bare Blazor circuits (baseline) are the floor in the same run and browser: a Blazor Server page in the baseline process " +
                "that shows one value, told by `POST /tick` (no database, no ranking, no formatting), played the same way.");
            sb.AppendLine();
            sb.AppendLine("| pages | tabs | rounds | p50 | p95 | p99 | max | missed | server CPU s (phase, with warm-up) | server CPU ms per change (measured rounds) | browser CPU s (same) | peak RSS MB |");
            sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            sb.Append(circuitRows);
            sb.AppendLine();
        }
        sb.AppendLine("Server memory per connection: (after − before) / count, both read right after a forced compacting full GC in the server. RSS includes whatever the GC keeps committed, so it is the pessimistic figure.");
        sb.AppendLine();
        sb.AppendLine("| what | count | RSS KB each | managed heap KB each |");
        sb.AppendLine("|---|---:|---:|---:|");
        sb.Append(memoryRows);
        sb.AppendLine();
        sb.AppendLine("Write path: acknowledged (committed) submissions per second, each POST its own report and idempotency key, beside raw single-row INSERT transactions.");
        sb.AppendLine();
        sb.AppendLine("| writer | concurrent | per second | p50 ms | p99 ms | refused | server CPU s |");
        sb.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        sb.Append(writeRows);
        return sb.ToString();
    }

    /// <summary>A run's heading: when, which commit, on what machine, with which command and options.</summary>
    public static string Header(string[] args, string options)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"## {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm} UTC · commit {Git("rev-parse --short HEAD")}{(Git("status --porcelain --untracked-files=no").Length > 0 ? " (with uncommitted changes)" : "")}");
        sb.AppendLine();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Machine: {Environment.ProcessorCount} cores, {MemoryGb():F1} GB RAM, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}.  ");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Command: `dotnet run --project bench/LiveBoard.Bench -c Release --{(args.Length > 0 ? " " + string.Join(' ', args) : "")}`  ");
        sb.AppendLine(CultureInfo.InvariantCulture, $"Run: {options}  ");
        // The baselines (bare hub, bare Blazor page) run in a copy of this program, so on the bench's own runtime settings.
        sb.AppendLine(CultureInfo.InvariantCulture, $"LiveBoard's runtime settings: {LiveBoardServer.RuntimeDescription()}; " +
            $"the baselines' (the bench's own): {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC");
        return sb.ToString();
    }

    public static void Prepend(string path, string section)
    {
        var earlier = File.Exists(path) ? File.ReadAllText(path) : "";
        var body = earlier.StartsWith(Title, StringComparison.Ordinal)
            ? earlier[(earlier.IndexOf("\n## ", StringComparison.Ordinal) is var i and >= 0 ? i + 1 : earlier.Length)..]
            : earlier;
        File.WriteAllText(path, $"{Title}\n\n{Intro}\n\n{section}\n{body}");
    }

    private static string Git(string arguments)
    {
        try
        {
            var info = new ProcessStartInfo("git", arguments) { RedirectStandardOutput = true, UseShellExecute = false, WorkingDirectory = LiveBoardServer.RepoRoot() };
            using var git = Process.Start(info)!;
            var output = git.StandardOutput.ReadToEnd().Trim();
            git.WaitForExit();
            return output;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    private static double MemoryGb()
    {
        var line = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0 / 1024.0;
    }
}
