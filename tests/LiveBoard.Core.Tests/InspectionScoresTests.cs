using LiveBoard.Core.Inspection;

namespace LiveBoard.Core.Tests;

public class InspectionScoresTests
{
    private static readonly ScoringScheme Scheme = ScoringScheme.Default;

    // An observer whose four marks add up to the given total (the default scheme's total is the sum).
    private static ObserverScore Gave(decimal total, string who = "o") => new(who, total / 4, total / 4, total / 4, total / 4);

    [Fact]
    public void Default_scheme_total_is_the_sum_of_the_four_marks()
    {
        Assert.Equal(86m, Scheme.Total(new ObserverScore("o", 20, 22, 21, 23)));
    }

    [Fact]
    public void Weights_shift_the_total_towards_the_heavier_dimension()
    {
        var scheme = new ScoringScheme([
            new DimensionRule(Dimension.Structure, 25, 1), new DimensionRule(Dimension.Efficiency, 25, 1),
            new DimensionRule(Dimension.Service, 25, 1), new DimensionRule(Dimension.Results, 25, 3)]);
        // Results is half the weight: full marks there and nothing elsewhere is 50 of 100.
        Assert.Equal(50m, scheme.Total(new ObserverScore("o", 0, 0, 0, 25)));
    }

    [Fact]
    public void Four_observers_give_the_plain_mean()
    {
        var site = InspectionScores.Site(Scheme, [Gave(80), Gave(90), Gave(70), Gave(100)]);
        Assert.Equal(new SiteScore(85m, 4, false), site);
    }

    [Fact]
    public void A_campaign_that_drops_two_highest_and_one_lowest_from_seven_observers_averages_the_middle_four()
    {
        var scheme = Scheme with { TrimThreshold = 7, DropHighest = 2, DropLowest = 1 };
        // 40 goes as the lowest, 100 and 98 as the two highest: the mean of 80, 85, 90, 95.
        var site = InspectionScores.Site(scheme, [Gave(40), Gave(100), Gave(98), Gave(80), Gave(85), Gave(90), Gave(95)]);
        Assert.Equal(new SiteScore(87.5m, 7, true), site);
        // Below the threshold nothing is dropped.
        Assert.Equal(new SiteScore(81.67m, 6, false), InspectionScores.Site(scheme, [Gave(40), Gave(100), Gave(98), Gave(80), Gave(85), Gave(87)]));
    }

    [Fact]
    public void Five_observers_drop_one_highest_and_one_lowest()
    {
        // Without trimming the mean is 80; the outliers 40 and 100 go, leaving 80, 85, 95.
        var site = InspectionScores.Site(Scheme, [Gave(40), Gave(100), Gave(80), Gave(85), Gave(95)]);
        Assert.Equal(new SiteScore(86.67m, 5, true), site);
    }

    [Fact]
    public void Nine_observers_drop_exactly_two_totals()
    {
        decimal[] totals = [60, 70, 75, 80, 80, 85, 90, 95, 100];
        var site = InspectionScores.Site(Scheme, totals.Select(t => Gave(t)).ToList());
        Assert.Equal(Math.Round(totals[1..^1].Average(), 2), site.Score);
        Assert.True(site.Trimmed);
    }

    [Fact]
    public void Tied_highest_totals_lose_only_one_of_them()
    {
        var site = InspectionScores.Site(Scheme, [Gave(100), Gave(100), Gave(100), Gave(80), Gave(60)]);
        // Drop one 100 and the 60: mean of 100, 100, 80.
        Assert.Equal(93.33m, site.Score);
    }

    [Fact]
    public void Threshold_is_configurable()
    {
        var strict = Scheme with { TrimThreshold = 3 };
        Assert.Equal(80m, InspectionScores.Site(strict, [Gave(0), Gave(80), Gave(100)]).Score);
        Assert.Equal(60m, InspectionScores.Site(Scheme, [Gave(0), Gave(80), Gave(100)]).Score);
    }

    [Fact]
    public void Site_without_scores_has_no_score_and_does_not_drag_its_district_down()
    {
        var unscored = InspectionScores.Site(Scheme, []);
        Assert.Null(unscored.Score);
        Assert.Equal(85m, InspectionScores.District([unscored, new SiteScore(90, 3, false), new SiteScore(80, 3, false)]));
        Assert.Null(InspectionScores.District([unscored]));
    }

    [Theory]
    [InlineData(26, "Score_OutOfRange")]
    [InlineData(-1, "Score_OutOfRange")]
    [InlineData(12.25, "Score_TooPrecise")]
    public void Marks_outside_the_scheme_are_refused(decimal structure, string key)
    {
        var error = Assert.Single(Scheme.Validate(new ObserverScore("o", structure, 20, 20, 20)));
        Assert.Equal((Dimension.Structure, key), (error.Dimension, error.Key));
        Assert.Empty(Scheme.Validate(new ObserverScore("o", 25, 0, 12.5m, 20)));
    }
}

public class GradeRuleTests
{
    [Fact]
    public void Overall_grade_follows_mean_points_and_thresholds()
    {
        var rule = GradeRule.Default;
        Assert.Equal(Grade.Good, rule.Overall([Grade.Good, Grade.Good, Grade.FairlyGood, Grade.Good])); // 2.75
        Assert.Equal(Grade.Good, rule.Overall([Grade.Good, Grade.FairlyGood])); // 2.5 exactly
        Assert.Equal(Grade.FairlyGood, rule.Overall([Grade.Good, Grade.Average, Grade.FairlyGood])); // 2.0
        Assert.Equal(Grade.Average, rule.Overall([Grade.FairlyGood, Grade.Average, Grade.Average])); // 1.33
        Assert.Null(rule.Overall([]));
    }

    [Fact]
    public void Thresholds_and_points_are_configurable()
    {
        var harsh = new GradeRule(GoodFrom: 3m, FairlyGoodFrom: 2.5m);
        Assert.Equal(Grade.FairlyGood, harsh.Overall([Grade.Good, Grade.Good, Grade.FairlyGood, Grade.Good]));
        Assert.Equal(Grade.Average, harsh.Overall([Grade.Good, Grade.Average, Grade.FairlyGood]));
    }

    [Theory]
    [InlineData("好", Grade.Good)]
    [InlineData("较好", Grade.FairlyGood)]
    [InlineData(" 一般 ", Grade.Average)]
    [InlineData("fairly good", Grade.FairlyGood)]
    public void Grades_read_as_the_city_writes_them(string text, Grade grade)
    {
        Assert.Equal(grade, GradeText.Parse(text));
        Assert.Null(GradeText.Parse("优秀"));
    }
}
