using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Core.Ranking;
using LiveBoard.Core.Standings;

namespace LiveBoard.Core.Tests;

public class RankingEngineTests
{
    private readonly RankingEngine _engine = new(new EfficacyCoefficientNormalisation());

    private static Dictionary<string, int> Ranks(IEnumerable<IndicatorStanding> s) => s.ToDictionary(x => x.DistrictCode, x => x.Rank);
    private static Dictionary<string, int> Ranks(IEnumerable<CompositeStanding> s) => s.ToDictionary(x => x.DistrictCode, x => x.Rank);

    [Fact]
    public void Higher_is_better_indicator_ranks_largest_value_first()
    {
        var districts = Build.Districts("a", "b", "c");
        var projects = Build.Indicator("projects");
        var figures = new FigureTable().Set("a", "projects", 10).Set("b", "projects", 30).Set("c", "projects", 20);

        var result = _engine.Rank(districts, [projects], figures);

        Assert.Equal(["b", "c", "a"], result.For("projects").Standings.Select(s => s.DistrictCode));
        Assert.Equal(new Dictionary<string, int> { ["b"] = 1, ["c"] = 2, ["a"] = 3 }, Ranks(result.For("projects").Standings));
    }

    [Fact]
    public void Lower_is_better_indicator_ranks_smallest_value_first()
    {
        var districts = Build.Districts("a", "b", "c");
        var days = Build.Indicator("approval-days", direction: Direction.LowerIsBetter);
        var figures = new FigureTable().Set("a", "approval-days", 12).Set("b", "approval-days", 5).Set("c", "approval-days", 30);

        var result = _engine.Rank(districts, [days], figures);

        Assert.Equal(["b", "a", "c"], result.For("approval-days").Standings.Select(s => s.DistrictCode));
        Assert.Equal(["b", "a", "c"], result.Composite.Select(s => s.DistrictCode));
    }

    [Fact]
    public void Ties_share_a_rank_and_the_next_rank_is_skipped()
    {
        var districts = Build.Districts("a", "b", "c", "d");
        var x = Build.Indicator("x");
        var figures = new FigureTable().Set("a", "x", 50).Set("b", "x", 40).Set("c", "x", 40).Set("d", "x", 10);

        var result = _engine.Rank(districts, [x], figures);

        Assert.Equal([1, 2, 2, 4], result.For("x").Standings.Select(s => s.Rank));
        Assert.Equal([1, 2, 2, 4], result.Composite.Select(s => s.Rank));
    }

    [Fact]
    public void Tied_districts_are_listed_in_official_district_order()
    {
        var districts = Build.Districts("first", "second", "third");
        var x = Build.Indicator("x");
        // "third" and "second" tie; the official order puts "second" before "third" whatever the input order.
        var figures = new FigureTable().Set("third", "x", 7).Set("second", "x", 7).Set("first", "x", 9);

        var result = _engine.Rank(districts, [x], figures);

        Assert.Equal(["first", "second", "third"], result.Composite.Select(s => s.DistrictCode));
        Assert.Equal([1, 2, 2], result.Composite.Select(s => s.Rank));
    }

    [Fact]
    public void Missing_value_ranks_last_and_is_not_treated_as_zero()
    {
        var districts = Build.Districts("a", "b", "c");
        var growth = Build.Indicator("growth", unit: IndicatorUnit.Percent, decimals: 1);
        // A negative growth is a real, reported figure: it must still rank above a district that reported nothing.
        var figures = new FigureTable().Set("a", "growth", -5.5m).Set("c", "growth", 12);

        var result = _engine.Rank(districts, [growth], figures);
        var standings = result.For("growth").Standings;

        Assert.Equal(["c", "a", "b"], standings.Select(s => s.DistrictCode));
        var missing = standings.Single(s => s.DistrictCode == "b");
        Assert.Null(missing.Value);
        Assert.Equal(3, missing.Rank);
        Assert.Equal(0m, missing.Score);
        Assert.Equal(1, result.Composite.Single(s => s.DistrictCode == "b").MissingCount);
        Assert.Equal("b", result.Composite[^1].DistrictCode);
    }

    [Fact]
    public void Districts_missing_the_same_indicator_share_the_last_rank()
    {
        var districts = Build.Districts("a", "b", "c", "d");
        var x = Build.Indicator("x");
        var figures = new FigureTable().Set("a", "x", 5).Set("b", "x", 9);

        var standings = _engine.Rank(districts, [x], figures).For("x").Standings;

        Assert.Equal(new Dictionary<string, int> { ["b"] = 1, ["a"] = 2, ["c"] = 3, ["d"] = 3 }, Ranks(standings));
    }

    [Fact]
    public void Weights_decide_the_composite_when_indicators_disagree()
    {
        var districts = Build.Districts("a", "b");
        var heavy = Build.Indicator("heavy", weight: 3);
        var light = Build.Indicator("light", weight: 1);
        var figures = new FigureTable()
            .Set("a", "heavy", 100).Set("b", "heavy", 50)
            .Set("a", "light", 1).Set("b", "light", 1000);

        var result = _engine.Rank(districts, [heavy, light], figures);

        // a: (3×100 + 1×60) / 4 = 90; b: (3×60 + 1×100) / 4 = 70.
        Assert.Equal(["a", "b"], result.Composite.Select(s => s.DistrictCode));
        Assert.Equal(90m, result.Composite[0].Score);
        Assert.Equal(70m, result.Composite[1].Score);

        var flipped = _engine.Rank(districts, [Build.Indicator("heavy", weight: 1), Build.Indicator("light", weight: 3)], figures);
        Assert.Equal(["b", "a"], flipped.Composite.Select(s => s.DistrictCode));
    }

    [Fact]
    public void Indicator_with_zero_weight_is_ranked_but_does_not_move_the_composite()
    {
        var districts = Build.Districts("a", "b");
        var counted = Build.Indicator("counted", weight: 1);
        var shown = Build.Indicator("shown", weight: 0);
        var figures = new FigureTable().Set("a", "counted", 10).Set("b", "counted", 5).Set("a", "shown", 0).Set("b", "shown", 99);

        var result = _engine.Rank(districts, [counted, shown], figures);

        Assert.Equal(["a", "b"], result.Composite.Select(s => s.DistrictCode));
        Assert.Equal(["b", "a"], result.For("shown").Standings.Select(s => s.DistrictCode));
        Assert.DoesNotContain("shown", result.Composite[0].IndicatorScores.Keys);
    }

    [Fact]
    public void Movement_compares_with_the_previous_snapshot()
    {
        var districts = Build.Districts("a", "b", "c", "d");
        var x = Build.Indicator("x");
        var figures = new FigureTable().Set("a", "x", 1).Set("b", "x", 4).Set("c", "x", 3).Set("d", "x", 2);
        var previous = new RankingSnapshot("yesterday", DateTimeOffset.UnixEpoch,
            new Dictionary<string, int> { ["a"] = 1, ["b"] = 3, ["c"] = 3 });

        var result = _engine.Rank(districts, [x], figures, previous);
        var moves = result.Composite.ToDictionary(s => s.DistrictCode, s => s.Movement);

        Assert.Equal(new Movement(MovementKind.Up, 2), moves["b"]);   // 3 → 1
        Assert.Equal(new Movement(MovementKind.Up, 1), moves["c"]);   // 3 → 2
        Assert.Equal(new Movement(MovementKind.Down, 3), moves["a"]); // 1 → 4
        Assert.Equal(Movement.New, moves["d"]);
    }

    [Fact]
    public void Without_a_previous_snapshot_everyone_is_new()
    {
        var districts = Build.Districts("a", "b");
        var result = _engine.Rank(districts, [Build.Indicator("x")], new FigureTable().Set("a", "x", 1).Set("b", "x", 2));
        Assert.All(result.Composite, s => Assert.Equal(MovementKind.New, s.Movement.Kind));
    }

    [Theory]
    [InlineData(3, 3, MovementKind.Same, 0)]
    [InlineData(2, 5, MovementKind.Up, 3)]
    [InlineData(6, 1, MovementKind.Down, 5)]
    public void Movement_between_two_ranks(int current, int previous, MovementKind kind, int places)
    {
        Assert.Equal(new Movement(kind, places), Movement.Between(current, previous));
    }

    [Fact]
    public void Equal_values_everywhere_give_everyone_full_marks_and_rank_one()
    {
        var districts = Build.Districts("a", "b", "c");
        var figures = new FigureTable().Set("a", "x", 5).Set("b", "x", 5).Set("c", "x", 5);
        var result = _engine.Rank(districts, [Build.Indicator("x")], figures);
        Assert.All(result.Composite, s => { Assert.Equal(1, s.Rank); Assert.Equal(100m, s.Score); });
    }

    [Fact]
    public void Efficacy_coefficient_gives_best_100_worst_60()
    {
        var n = new EfficacyCoefficientNormalisation();
        var x = Build.Indicator("x");
        decimal[] reported = [10, 20, 30];
        Assert.Equal(100m, n.Score(x, 30, reported, null));
        Assert.Equal(80m, n.Score(x, 20, reported, null));
        Assert.Equal(60m, n.Score(x, 10, reported, null));
        var lower = Build.Indicator("y", direction: Direction.LowerIsBetter);
        Assert.Equal(100m, n.Score(lower, 10, reported, null));
    }

    [Fact]
    public void Target_attainment_scores_share_of_the_district_target_capped()
    {
        var n = new TargetAttainmentNormalisation(cap: 1.2m);
        // City target 90 over 3 districts: 30 each. 15 of 30 is half; capped at 120 % of target = 100 points.
        var sum = Build.Indicator("x", target: 90);
        Assert.Equal(100m * 0.5m / 1.2m, n.Score(sum, 15, [15], sum.DistrictTarget(3)));
        Assert.Equal(100m, n.Score(sum, 60, [60], sum.DistrictTarget(3)));
        // A rate's target applies to each district as it is.
        var rate = Build.Indicator("growth", target: 35, unit: IndicatorUnit.Percent, aggregation: Aggregation.Mean);
        Assert.Equal(100m * 1m / 1.2m, n.Score(rate, 35, [35], rate.DistrictTarget(9)));
    }

    [Fact]
    public void A_district_with_its_own_target_is_scored_and_explained_against_it()
    {
        // City target 90 over 3 districts: 30 each, except b, whose own target is 10. a and b report the same 15:
        // a has half its share, b one and a half times its own target (capped at 120 % = 100 points), so b ranks first.
        var districts = Build.Districts("a", "b", "c");
        var x = Build.Indicator("x", target: 90);
        x.DistrictTargets["b"] = 10;
        var figures = new FigureTable().Set("a", "x", 15).Set("b", "x", 15).Set("c", "x", 30);
        var campaign = new Campaign { Code = "t", Name = "t", NameEn = "t", City = "t", CityEn = "t", Districts = [.. districts], Indicators = [x] };
        var city = new StandingsComposer(new RankingEngine(new TargetAttainmentNormalisation(cap: 1.2m))).Compose(new StandingsInput(campaign, figures));

        Assert.Equal((30m, 10m, 30m), (x.TargetOf("a", 3)!.Value, x.TargetOf("b", 3)!.Value, x.TargetOf("c", 3)!.Value));
        Assert.Equal(100m * 0.5m / 1.2m, Math.Round(city.StandingOf("a").Score, 4), 4);
        Assert.Equal(100m, city.StandingOf("b").Score);
        Assert.Equal(1, city.StandingOf("b").Rank);
        // The "why" of each rank names the target the district was measured against.
        Assert.Equal(10m, city.Why("b").Components.Single().Target);
        Assert.Equal(30m, city.Why("a").Components.Single().Target);
    }

    [Fact]
    public void Normalisation_strategy_can_change_the_order()
    {
        // Min–max sees one win each (a tie); against targets a is nearer on x than b is on y.
        var districts = Build.Districts("a", "b");
        var x = Build.Indicator("x", target: 20);
        var y = Build.Indicator("y", target: 2000);
        var figures = new FigureTable().Set("a", "x", 10).Set("b", "x", 9).Set("a", "y", 900).Set("b", "y", 950);

        var byShare = new RankingEngine(new TargetAttainmentNormalisation()).Rank(districts, [x, y], figures);
        var byEfficacy = _engine.Rank(districts, [x, y], figures);

        Assert.Equal(1, Ranks(byEfficacy.Composite)["a"]);
        Assert.Equal(1, Ranks(byEfficacy.Composite)["b"]);
        Assert.Equal(1, Ranks(byShare.Composite)["a"]);
        Assert.Equal(2, Ranks(byShare.Composite)["b"]);
    }

    [Fact]
    public void A_component_excluded_when_missing_leaves_the_district_ranked_on_the_others_without_counting_as_missing()
    {
        var districts = Build.Districts("a", "b", "c");
        var projects = Build.Indicator("projects", weight: 80);
        var inspection = Build.Indicator("inspection", weight: 20);
        inspection.ExcludeWhenMissing = true;
        var figures = new FigureTable().Set("a", "projects", 10).Set("b", "projects", 30).Set("c", "projects", 20)
            .Set("a", "inspection", 90).Set("b", "inspection", 70);

        var result = _engine.Rank(districts, [projects, inspection], figures);
        var c = result.Composite.Single(s => s.DistrictCode == "c");

        // c was not inspected yet: its composite is its projects score alone (60 + 40 × 10/20 = 80), not 0.8 × 80.
        Assert.Equal(80m, c.Score);
        Assert.Equal(0, c.MissingCount);
        Assert.False(c.IndicatorScores.ContainsKey("inspection"));
        // a: 0.8 × 60 + 0.2 × 100 = 68; b: 0.8 × 100 + 0.2 × 60 = 92.
        Assert.Equal(68m, result.Composite.Single(s => s.DistrictCode == "a").Score);
        Assert.Equal(92m, result.Composite.Single(s => s.DistrictCode == "b").Score);
        Assert.Equal(["b", "c", "a"], result.Composite.Select(s => s.DistrictCode));
    }
}
