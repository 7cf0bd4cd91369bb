using System.Globalization;
using System.Text;

namespace LiveBoard.Bench;

/// <summary>
/// The second wave: what happens around the steady state. A restart during the evening meeting (reconnect storm), a wall
/// left on for a week (soak), a restarted server that must answer before the screens give up (cold start). Each scenario
/// starts LiveBoard as its own Release process and measures a baseline in the same run where one exists.
/// </summary>
public static class Wave2Bench
{
    public static async Task<int> RunAsync(string[] args)
    {
        var options = Wave2Options.Parse(args);
        LiveBoardServer.UseOwnConfigurationForQuickRun(options.Quick);
        BenchBrowser.UseHeadlessShell(options.Quick || args.Contains("--headless-shell"));
        var report = new Wave2Report();
        void Say(string line) => Console.WriteLine(line);
        Say($"LiveBoard bench, second wave ({(options.Quick ? "quick" : "full")}, server built in {LiveBoardServer.Configuration}): {options}");

        if (options.Runs("cold-start")) await ColdStart.RunAsync(options, report, Say);
        if (options.Runs("import")) await BulkImport.RunAsync(options, report, Say);
        if (options.Runs("storm")) await ReconnectStorm.RunAsync(options, report, Say);
        if (options.Runs("soak")) await Soak.RunAsync(options, report, Say);
        if (options.Runs("screens")) await Screens.RunAsync(options, report, Say);

        var section = report.Section(["wave2", .. args], options.ToString());
        Console.WriteLine();
        Console.WriteLine(section);
        if (options.Output is { } output)
        {
            BenchReport.Prepend(output, section);
            Say($"written to {output}");
        }
        if (report.Failures.Count > 0)
        {
            foreach (var f in report.Failures) Say("FAILED: " + f);
            return 1;
        }
        Say("wave 2: every scenario completed, nothing lost");
        return 0;
    }
}

/// <summary>
/// A wave-2 run's findings: a goal table on top (what the issue asks, what was measured, met or not), then each
/// scenario's own table. <see cref="Failures"/> are completion failures (lost events, screens never current), which fail
/// the run; a missed goal is reported, not failed, since timing on a shared machine is the report's to judge.
/// </summary>
public sealed class Wave2Report
{
    private readonly List<string> _goals = [];
    private readonly StringBuilder _details = new();

    public List<string> Failures { get; } = [];

    public void Goal(string scenario, string measure, string goal, string result, bool met) =>
        _goals.Add($"| {scenario} | {measure} | {goal} | {result} | {(met ? "yes" : "**no**")} |");

    public void Detail(string markdown) => _details.AppendLine(markdown).AppendLine();

    public string Section(string[] args, string options)
    {
        var sb = new StringBuilder(BenchReport.Header(args, options));
        sb.AppendLine();
        sb.AppendLine("Second wave: around the steady state.");
        sb.AppendLine();
        sb.AppendLine("| scenario | measure | goal | result | met |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var g in _goals) sb.AppendLine(g);
        sb.AppendLine();
        sb.Append(_details);
        return sb.ToString();
    }

    public static string Ms(double ms) => ms.ToString("F0", CultureInfo.InvariantCulture);
    public static string S(double seconds) => seconds.ToString("F1", CultureInfo.InvariantCulture);
}

public sealed record Wave2Options(
    bool Quick, IReadOnlySet<string> Scenarios, string? Output,
    int ColdRuns, int ColdRevisions, bool ReadyToRun, int ImportRows,
    int StormViewers, int StormDisplays,
    double SoakMinutes, double SoakRate, int SoakViewers, TimeSpan SoakSample,
    int Screens, int ScreenBrowsers, int ScreenRounds, TimeSpan ScreenInterval, bool ServerBuild = false, bool WallsAsPcs = false)
{
    /// <summary>
    /// The server the storm, the soak and the screens run: LiveBoard as deployed (published, ReadyToRun), or with
    /// --server-build the Release build (each method JIT-compiled on first use), for comparison.
    /// </summary>
    public Task<string> ServerAsync(Action<string> say) => ServerBuild ? LiveBoardServer.BuildAsync() : LiveBoardServer.PublishedAsync(say);

    public static readonly string[] All = ["cold-start", "import", "storm", "soak", "screens"];

    public bool Runs(string scenario) => Scenarios.Contains(scenario);

    public override string ToString() =>
        $"scenarios {string.Join(", ", All.Where(Runs))}; cold start: {ColdRuns} starts each, {ColdRevisions} revisions and as many audit rows" +
        $"{(ReadyToRun ? ", also ReadyToRun" : "")}; import: {ImportRows} rows; storm: {StormViewers} hub viewers, {StormDisplays} display tabs{(WallsAsPcs ? " each in a browser context of its own" : " in one browser context")}; " +
        $"soak: {SoakMinutes} min at {SoakRate}/s, {SoakViewers} hub viewers and one display tab, sampled every {SoakSample.TotalSeconds} s; " +
        $"screens: {Screens} display tabs in {ScreenBrowsers} browsers, {ScreenRounds} rounds at least {ScreenInterval.TotalSeconds} s apart; " +
        $"server for storm, soak and screens: {ServerDescription}; tabs in {BenchBrowser.Executable}";

    // What ServerAsync hands out.
    private string ServerDescription => ServerBuild ? LiveBoardServer.BuildDescription : LiveBoardServer.PublishedDescription;

    public static Wave2Options Parse(string[] args)
    {
        // An option the bench does not know is refused: a typo would otherwise run the full hour-long wave and record it
        // under a command line that says something else.
        string[] flags = ["--quick", "--no-out", "--no-ready-to-run", "--server-build", "--walls-as-pcs", "--headless-shell"];
        string[] valued = ["--scenarios", "--out", "--cold-runs", "--cold-revisions", "--import-rows", "--storm-viewers",
            "--storm-displays", "--soak-minutes", "--soak-rate", "--soak-viewers", "--soak-sample-seconds", "--screens", "--screen-browsers",
            "--screen-rounds", "--screen-interval"];
        for (var i = 0; i < args.Length; i++)
        {
            if (valued.Contains(args[i])) i++;
            else if (!flags.Contains(args[i]))
                throw new ArgumentException($"wave2 does not know {args[i]}; it takes {string.Join(", ", flags.Concat(valued))}");
        }
        var quick = args.Contains("--quick");
        string? Value(string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
        int Int(string name, string full, string fast) => int.Parse(Value(name) ?? (quick ? fast : full), CultureInfo.InvariantCulture);
        double Number(string name, string full, string fast) => double.Parse(Value(name) ?? (quick ? fast : full), CultureInfo.InvariantCulture);
        var scenarios = (Value("--scenarios") ?? string.Join(',', All)).Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        if (scenarios.FirstOrDefault(s => !All.Contains(s)) is { } unknown)
            throw new ArgumentException($"--scenarios takes {string.Join(", ", All)}, not {unknown}");
        // A full run records itself in BENCHMARKS.md; the quick smoke run (the test suite's) writes nowhere unless told.
        var output = Value("--out") ?? (quick || args.Contains("--no-out") ? null : Path.Combine(LiveBoardServer.RepoRoot(), "BENCHMARKS.md"));
        return new Wave2Options(
            quick, scenarios, output,
            Int("--cold-runs", "5", "1"),
            Int("--cold-revisions", "100000", "2000"),
            !quick && !args.Contains("--no-ready-to-run"),
            Int("--import-rows", "10000", "400"),
            Int("--storm-viewers", "10000", "200"),
            Int("--storm-displays", "50", "2"),
            // 20,000 changes at 20 a second.
            Number("--soak-minutes", "16.7", "0.15"),
            Number("--soak-rate", "20", "20"),
            Int("--soak-viewers", "100", "10"),
            TimeSpan.FromSeconds(Number("--soak-sample-seconds", "15", "5")),
            // Item 5: 200 walls on one instance, in several browser processes (each Chromium holds its share of the tabs).
            Int("--screens", "200", "2"),
            Int("--screen-browsers", "4", "1"),
            Int("--screen-rounds", "30", "2"),
            TimeSpan.FromSeconds(Number("--screen-interval", "2", "0.2")),
            args.Contains("--server-build"),
            // The storm's walls each in a browser context of their own (see DisplayTabs.OpenAsync).
            args.Contains("--walls-as-pcs"));
    }
}
