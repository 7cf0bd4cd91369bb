using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Inspection;
using LiveBoard.Core.Ranking;
using LiveBoard.Core.Standings;

namespace LiveBoard.Core.Tests;

public class StandingsComposerTests
{
    private readonly StandingsComposer _composer = new(new RankingEngine(new EfficacyCoefficientNormalisation()));

    private static Campaign City(params Indicator[] indicators) => new()
    {
        Code = "c", Name = "c", NameEn = "c", City = "c", CityEn = "c",
        Districts = Build.Districts("a", "b", "c"),
        Indicators = indicators.Select((i, n) => { i.SortOrder = n + 1; return i; }).ToList(),
    };

    // One observer whose marks add up to the given total on the default scheme.
    private static ObserverScore Gave(decimal total) => new("o", total / 4, total / 4, total / 4, total / 4);

    private static FigureTable Projects(decimal a, decimal b, decimal c) => new FigureTable().Set("a", "projects", a).Set("b", "projects", b).Set("c", "projects", c);

    [Fact]
    public void Inspection_score_joins_the_composite_with_its_weight_and_an_unvisited_district_is_ranked_on_the_rest()
    {
        var campaign = City(Build.Indicator("projects", weight: 50));
        // a leads on projects; b's site scored 100, a's 0 (all observers gave nothing); c not visited yet.
        var input = new StandingsInput(campaign, Projects(30, 20, 10))
        {
            Inspection = new InspectionInput(ScoringScheme.Default, 50,
                [new SiteSheets(1, "a", [Gave(0)]), new SiteSheets(2, "b", [Gave(100)]), new SiteSheets(3, "c", [])]),
        };

        var standings = _composer.Compose(input);

        Assert.Equal(["projects", CityStandings.InspectionCode], standings.Components.Select(c => c.Code));
        Assert.True(standings.InspectionCounts);
        // a: (100 + 60) / 2 = 80; b: (80 + 100) / 2 = 90; c: projects only, 60.
        Assert.Equal([("b", 1, 90m), ("a", 2, 80m), ("c", 3, 60m)], standings.Ranking.Composite.Select(s => (s.DistrictCode, s.Rank, s.Score)));
        Assert.Equal(new Dictionary<string, decimal?> { ["a"] = 0m, ["b"] = 100m, ["c"] = null }, standings.InspectionScores);
        Assert.Equal(2, standings.SiteScores.Count);
    }

    [Fact]
    public void Why_lists_each_component_and_its_points_add_up_to_the_composite()
    {
        var campaign = City(Build.Indicator("projects", weight: 50, target: 90), Build.Indicator("growth", weight: 25, unit: IndicatorUnit.Percent,
            aggregation: Aggregation.Mean, target: 35, decimals: 1));
        var figures = Projects(30, 20, 10).Set("a", "growth", 12.5m).Set("b", "growth", 40m);
        var input = new StandingsInput(campaign, figures)
        {
            Inspection = new InspectionInput(ScoringScheme.Default, 25, [new SiteSheets(1, "a", [Gave(80)])]),
        };

        var standings = _composer.Compose(input);

        foreach (var district in new[] { "a", "b", "c" })
        {
            var why = standings.Why(district);
            Assert.Equal(standings.StandingOf(district).Score, why.Components.Sum(c => c.Points), 3);
            Assert.Equal(["projects", "growth", CityStandings.InspectionCode], why.Components.Select(c => c.Component.Code));
        }
        var a = standings.Why("a");
        // A summed indicator's district target is the city target shared out; a rate's is the city target itself.
        Assert.Equal((30m, 30m), (a.Components[0].Value!.Value, a.Components[0].Target!.Value));
        Assert.Equal((12.5m, 35m), (a.Components[1].Value!.Value, a.Components[1].Target!.Value));
        Assert.Equal((80m, true), (a.Components[2].Value!.Value, a.Components[2].Counted));
        // b was not visited: its inspection share is not counted, and nothing is held against it.
        var b = standings.Why("b");
        Assert.Equal((null, false, 0m), (b.Components[2].Value, b.Components[2].Counted, b.Components[2].Points));
        // c did not report growth: counted, scored 0.
        var c = standings.Why("c");
        Assert.Equal((null, true, 0m), (c.Components[1].Value, c.Components[1].Counted, c.Components[1].Score));
    }

    [Fact]
    public void Grades_join_the_composite_only_when_they_carry_a_weight()
    {
        var campaign = City(Build.Indicator("projects"));
        var grades = new Dictionary<(string, string), Grade> { [("a", "credit")] = Grade.Average, [("c", "credit")] = Grade.Good };
        var unweighted = _composer.Compose(new StandingsInput(campaign, Projects(30, 20, 10))
        {
            Grades = new GradeInput("2023Q2", 0, GradeRule.Default, grades),
        });
        Assert.DoesNotContain(unweighted.Components, c => c.Code == CityStandings.GradeCode);
        Assert.Equal(3m, unweighted.GradePoints["c"]);

        var weighted = _composer.Compose(new StandingsInput(campaign, Projects(30, 20, 10))
        {
            Grades = new GradeInput("2023Q2", 1, GradeRule.Default, grades),
        });
        Assert.Contains(weighted.Components, c => c.Code == CityStandings.GradeCode);
        // a: (projects 100 + grades 60) / 2; b, not graded: projects 80 alone; c: (60 + 100) / 2. All tie at 80.
        Assert.Equal([80m, 80m, 80m], weighted.Ranking.Composite.Select(s => s.Score));
        Assert.Equal("2023Q2", weighted.GradeQuarter);
    }

    [Fact]
    public void Composing_changes_nothing_it_was_given_and_names_no_synthetic_component()
    {
        var campaign = City(Build.Indicator("projects"));
        var figures = Projects(30, 20, 10);
        var input = new StandingsInput(campaign, figures)
        {
            Inspection = new InspectionInput(ScoringScheme.Default, 20, [new SiteSheets(1, "a", [Gave(90)])]),
        };

        var standings = _composer.Compose(input);
        var again = _composer.Compose(input);

        Assert.Equal(3, figures.Count);
        Assert.Null(figures.Get("a", CityStandings.InspectionCode));
        Assert.Single(campaign.Indicators);
        Assert.Same(figures, standings.Figures);
        Assert.Equal(standings.Ranking.Composite, again.Ranking.Composite, new CompositeEquality());
        // The reader's language names it, at the edge: Core holds no Chinese or English label for it.
        var inspection = standings.Components.Single(c => c.Code == CityStandings.InspectionCode);
        Assert.Equal(("", ""), (inspection.Name, inspection.NameEn));
    }

    [Fact]
    public void Movement_is_measured_against_the_publication_and_corrections_since_are_marked()
    {
        var campaign = City(Build.Indicator("projects"));
        var published = new PublishedInput(
            new RankingSnapshot("第1版", DateTimeOffset.UnixEpoch, new Dictionary<string, int> { ["a"] = 1, ["b"] = 2, ["c"] = 3 }),
            new Dictionary<string, IReadOnlyDictionary<string, decimal?>>
            {
                ["a"] = new Dictionary<string, decimal?> { ["projects"] = 30 },
                ["b"] = new Dictionary<string, decimal?> { ["projects"] = 20 },
                ["c"] = new Dictionary<string, decimal?> { ["projects"] = 10 },
            });

        // c corrected its figure upward past b, and b's own figure did not change.
        var standings = _composer.Compose(new StandingsInput(campaign, Projects(30, 20, 25)) { Published = published });

        Assert.Equal("第1版", standings.ComparedWith!.Label);
        Assert.Equal(new Movement(MovementKind.Up, 1), standings.StandingOf("c").Movement);
        Assert.Equal(new Movement(MovementKind.Down, 1), standings.StandingOf("b").Movement);
        Assert.Equal(MovementKind.Same, standings.StandingOf("a").Movement.Kind);
        // c's figure changed; b moved although its figure did not; a is as announced.
        Assert.Equal(new HashSet<string> { "b", "c" }, standings.ChangedSincePublished);
    }

    private static RankingSnapshot Ranks(string label, int a, int b, int c) =>
        new(label, DateTimeOffset.UnixEpoch, new Dictionary<string, int> { ["a"] = a, ["b"] = b, ["c"] = c });

    [Fact]
    public void Right_after_publishing_the_live_ranking_shows_the_new_publications_own_arrows()
    {
        var campaign = City(Build.Indicator("projects"));
        // Version 1 had c first; version 2, just published, is the live ranking as it stands (a, b, c).
        var published = new PublishedInput(Ranks("第2版", 1, 2, 3), null) { Previous = Ranks("第1版", 2, 3, 1) };

        var standings = _composer.Compose(new StandingsInput(campaign, Projects(30, 20, 10)) { Published = published });

        Assert.Equal("第1版", standings.ComparedWith!.Label);
        Assert.Equal([new(MovementKind.Up, 1), new(MovementKind.Up, 1), new Movement(MovementKind.Down, 2)],
            standings.Ranking.Composite.Select(c => c.Movement));
        // What a publication now would record: against the latest, nothing moved.
        Assert.All(standings.Ranking.Composite, c => Assert.Equal(Movement.Same, standings.SinceLatestPublished(c)));
        Assert.Empty(standings.ChangedSincePublished);
    }

    [Fact]
    public void Once_a_rank_moves_after_publishing_movement_is_against_the_latest_publication_again()
    {
        var campaign = City(Build.Indicator("projects"));
        var published = new PublishedInput(Ranks("第2版", 1, 2, 3), null) { Previous = Ranks("第1版", 2, 3, 1) };

        // c's correction lifts it past b.
        var standings = _composer.Compose(new StandingsInput(campaign, Projects(30, 20, 25)) { Published = published });

        Assert.Equal("第2版", standings.ComparedWith!.Label);
        Assert.Equal([Movement.Same, new(MovementKind.Up, 1), new Movement(MovementKind.Down, 1)],
            standings.Ranking.Composite.Select(c => c.Movement));
    }

    [Fact]
    public void A_district_not_yet_scored_has_no_inspection_rank_and_is_listed_last()
    {
        var campaign = City(Build.Indicator("projects", weight: 50));
        // a and c visited, b not yet: b would otherwise take a shared last place ("—（3）").
        var input = new StandingsInput(campaign, Projects(10, 20, 30))
        {
            Inspection = new InspectionInput(ScoringScheme.Default, 50, [new SiteSheets(1, "a", [Gave(90)]), new SiteSheets(2, "c", [Gave(70)])]),
        };

        var inspection = _composer.Compose(input).Ranking.For(CityStandings.InspectionCode).Standings;

        Assert.Equal([("a", 1, false), ("c", 2, false), ("b", 3, true)], inspection.Select(s => (s.DistrictCode, s.Rank, s.Unranked)));
        Assert.Null(inspection[2].Value);
        // An ordinary indicator still ranks a district that has not reported, last.
        var projects = _composer.Compose(new StandingsInput(campaign, new FigureTable().Set("a", "projects", 5))).Ranking.For("projects").Standings;
        Assert.DoesNotContain(projects, s => s.Unranked);
    }

    [Fact]
    public void City_totals_add_counts_and_average_rates_over_reporting_districts()
    {
        var campaign = City(Build.Indicator("projects", target: 90),
            Build.Indicator("growth", unit: IndicatorUnit.Percent, aggregation: Aggregation.Mean, decimals: 1));
        var standings = _composer.Compose(new StandingsInput(campaign, Projects(30, 20, 10).Set("a", "growth", 10).Set("b", "growth", 15)));

        var projects = standings.Totals.Single(t => t.Indicator.Code == "projects");
        var growth = standings.Totals.Single(t => t.Indicator.Code == "growth");
        Assert.Equal((60m, 66.7m, 3), (projects.Value!.Value, projects.Progress!.Value, projects.Reporting));
        Assert.Equal((12.5m, 2, 3), (growth.Value!.Value, growth.Reporting, growth.Districts));
    }

    private sealed class CompositeEquality : IEqualityComparer<CompositeStanding>
    {
        public bool Equals(CompositeStanding? x, CompositeStanding? y) =>
            (x!.DistrictCode, x.Rank, x.Score, x.Movement) == (y!.DistrictCode, y.Rank, y.Score, y.Movement);

        public int GetHashCode(CompositeStanding s) => s.DistrictCode.GetHashCode(StringComparison.Ordinal);
    }
}
