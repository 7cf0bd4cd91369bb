using System.Text.Json.Nodes;
using LiveBoard.Core.Campaigns;
using LiveBoard.Testing;
using F = LiveBoard.Core.Campaigns.CampaignFile.Faults;

namespace LiveBoard.Web.Tests.Campaigns;

/// <summary>Broken campaign files, one fault each (unless said), with where it is and what is wrong.</summary>
public static class BrokenCampaignFiles
{
    public sealed record Broken(string Name, string Json, string Where, string Key)
    {
        public override string ToString() => Name;
    }

    private static Broken Edit(string name, Action<JsonObject> edit, string where, string key) => new(name, SmallCampaign.With(edit), where, key);

    private static JsonObject At(JsonObject root, string list, int i) => root[list]!.AsArray()[i]!.AsObject();

    /// <summary>
    /// A whole scoring part, not the defaults: 30/20/30/20 points, results weighed double, two highest and one lowest dropped
    /// from 7. Amounts are written as the database gives them back (30.0), so that a file compares with its export byte for byte.
    /// </summary>
    public static JsonObject Scoring() => JsonNode.Parse("""
        {
          "dimensions": [
            { "dimension": "Structure", "maxPoints": 30.0, "weight": 1.0 }, { "dimension": "Efficiency", "maxPoints": 20.0, "weight": 1.0 },
            { "dimension": "Service", "maxPoints": 30.0, "weight": 1.0 }, { "dimension": "Results", "maxPoints": 20.0, "weight": 2.0 }
          ],
          "trimmedMean": { "dropHighest": 2, "dropLowest": 1, "minimumObservers": 7 },
          "inspectionWeight": 15.0, "gradeWeight": 10.0,
          "gradeScale": [ { "grade": "Good", "points": 5.0, "from": 4.0 }, { "grade": "FairlyGood", "points": 3.0, "from": 2.5 }, { "grade": "Average", "points": 1.0 } ]
        }
        """)!.AsObject();

    /// <summary>The small campaign with <see cref="Scoring"/>, broken by <paramref name="edit"/> on the scoring part.</summary>
    private static Broken Scored(string name, Action<JsonObject> edit, string where, string key) => Edit(name, f =>
    {
        var scoring = Scoring();
        edit(scoring);
        f["scoring"] = scoring;
    }, where, key);

    /// <summary>District targets as the file lists them: indicator, district, target.</summary>
    public static JsonArray Targets(IEnumerable<(string Indicator, string District, decimal Target)> targets) =>
        new([.. targets.Select(t => (JsonNode)new JsonObject { ["indicator"] = t.Indicator, ["district"] = t.District, ["target"] = t.Target })]);

    private static Broken Targets(string name, (string, string, decimal)[] targets, string where, string key) =>
        Edit(name, f => f["districtTargets"] = Targets(targets), where, key);

    private static JsonObject Row(JsonObject scoring, string list, int i) => scoring[list]!.AsArray()[i]!.AsObject();

    public static IReadOnlyList<Broken> All { get; } =
    [
        new("not JSON at all", "this is not json", "", F.Unreadable),
        Edit("no schemaVersion", f => f.Remove("schemaVersion"), "/schemaVersion", F.Required),
        Edit("a future schemaVersion", f => f["schemaVersion"] = 2, "/schemaVersion", F.SchemaVersion),
        Edit("no campaign code", f => f.Remove("code"), "/code", F.Required),
        Edit("a code with spaces", f => f["code"] = "Chi Feng", "/code", F.BadCode),
        Edit("no city", f => f["city"] = "", "/city", F.Required),
        Edit("end before start", f => f["endDate"] = "2024-05-01", "/endDate", F.EndBeforeStart),
        Edit("a date that is no date", f => f["startDate"] = "2024-13-01", "/startDate", F.InvalidValue),
        Edit("an unknown time zone", f => f["timeZone"] = "Mars/Olympus", "/timeZone", F.UnknownTimeZone),
        Edit("no districts", f => f["districts"] = new JsonArray(), "/districts", F.NoDistricts),
        Edit("a duplicate district code", f => At(f, "districts", 2)["code"] = "hongshan", "/districts/2/code", F.Duplicate),
        Edit("a district without a name", f => At(f, "districts", 0).Remove("name"), "/districts/0/name", F.Required),
        Edit("a duplicate indicator code", f => At(f, "indicators", 1)["code"] = "signed", "/indicators/1/code", F.Duplicate),
        Edit("no positive weight", f => { At(f, "indicators", 0)["weight"] = 0; At(f, "indicators", 1)["weight"] = 0; }, "/indicators", F.NoPositiveWeight),
        Edit("a negative weight", f => At(f, "indicators", 0)["weight"] = -5, "/indicators/0/weight", F.Negative),
        Edit("nine decimals", f => At(f, "indicators", 1)["decimals"] = 9, "/indicators/1/decimals", F.Decimals),
        Edit("a reversed plausible range", f => At(f, "indicators", 0)["plausibleMin"] = 500, "/indicators/0/plausibleMin", F.RangeReversed),
        Edit("an unknown unit", f => At(f, "indicators", 0)["unit"] = "Bananas", "/indicators/0/unit", F.InvalidValue),
        Edit("a group without a name", f => At(f, "touringGroups", 0)["name"] = " ", "/touringGroups/0/name", F.Required),
        Edit("a day outside the campaign", f => At(f, "days", 0)["date"] = "2024-06-01", "/days/0/date", F.DateOutside),
        Edit("the same day twice", f => f["days"]!.AsArray().Add(new JsonObject { ["date"] = "2024-05-06", ["title"] = "又一天" }), "/days/1/date", F.DuplicateDay),
        Edit("a site in an unknown district", f => At(f, "sites", 0)["district"] = "atlantis", "/sites/0/district", F.UnknownDistrict),
        Edit("a site of an unknown group", f => At(f, "sites", 1)["group"] = "west", "/sites/1/group", F.UnknownGroup),
        Edit("a site after the campaign", f => At(f, "sites", 0)["day"] = "2024-05-20", "/sites/0/day", F.DateOutside),
        Edit("a site on a day without a programme", f => At(f, "sites", 0)["day"] = "2024-05-07", "/sites/0/day", F.NotADay),
        Edit("two sites at the same stop", f => At(f, "sites", 1)["order"] = 1, "/sites/1/order", F.DuplicateOrder),
        Edit("a figure of an unknown district", f => f["figures"]!["atlantis"] = new JsonObject { ["signed"] = 1 }, "/figures/atlantis", F.UnknownDistrict),
        Edit("a figure of an unknown indicator", f => f["figures"]!["hongshan"]!["jobs"] = 5, "/figures/hongshan/jobs", F.UnknownIndicator),
        Edit("a previous ranking naming an unknown district", f => f["previousRanking"] = new JsonObject
            { ["label"] = "一季度", ["labelEn"] = "Q1", ["takenAt"] = "2024-04-01T00:00:00+08:00", ["order"] = new JsonArray("hongshan", "atlantis") },
            "/previousRanking/order/1", F.UnknownDistrict),
        Edit("one observer named twice", f => At(f, "touringGroups", 0)["observers"] = new JsonArray("observer-east-1", "Observer-East-1"),
            "/touringGroups/0/observers/1", F.DuplicateObserver),
        Targets("a district target of an unknown district", [("signed", "atlantis", 20)], "/districtTargets/0/district", F.UnknownDistrict),
        Targets("a district target without its district", [("signed", "", 20)], "/districtTargets/0/district", F.Required),
        Targets("a district target of an unknown indicator", [("jobs", "hongshan", 20)], "/districtTargets/0/indicator", F.UnknownIndicator),
        Targets("one district's target set twice", [("signed", "hongshan", 20), ("signed", "hongshan", 25)], "/districtTargets/1/district", F.DuplicateTarget),
        Targets("a district target of 0", [("funds", "songshan", 0)], "/districtTargets/0/target", F.TargetPositive),
        Targets("a district target beyond the plausible range", [("signed", "hongshan", 150)], "/districtTargets/0/target", F.TargetOutsideRange),
        Edit("a district target of a graded indicator", f =>
        {
            f["indicators"]!.AsArray().Add(new JsonObject
            {
                ["code"] = "credit", ["name"] = "信用环境", ["category"] = "BusinessEnvironment", ["unit"] = "Grade", ["direction"] = "HigherIsBetter",
                ["aggregation"] = "Mean", ["weight"] = 0, ["decimals"] = 0,
            });
            f["districtTargets"] = Targets([("credit", "hongshan", 1)]);
        }, "/districtTargets/0/indicator", F.NotHeadline),
        Scored("a dimension worth no points", s => Row(s, "dimensions", 0)["maxPoints"] = 0, "/scoring/dimensions/0/maxPoints", F.MaxPoints),
        Scored("a dimension listed twice", s => Row(s, "dimensions", 3)["dimension"] = "Structure", "/scoring/dimensions/3/dimension", F.Duplicate),
        Scored("a dimension left out", s => s["dimensions"]!.AsArray().RemoveAt(1), "/scoring/dimensions", F.MissingDimension),
        Scored("a dimension observers do not mark", s => Row(s, "dimensions", 0)["dimension"] = "Beauty", "/scoring/dimensions/0/dimension", F.InvalidValue),
        Scored("every dimension weighted 0", s => { foreach (var d in s["dimensions"]!.AsArray()) d!["weight"] = 0; }, "/scoring/dimensions", F.NoPositiveWeight),
        Scored("no trimmed-mean rule", s => s.Remove("trimmedMean"), "/scoring/trimmedMean", F.Required),
        Scored("more scores dropped than observers", s => s["trimmedMean"]!["dropLowest"] = 5, "/scoring/trimmedMean/minimumObservers", F.TrimTooMany),
        Scored("trimming from two observers", s => s["trimmedMean"]!["minimumObservers"] = 2, "/scoring/trimmedMean/minimumObservers", F.MinimumObservers),
        Scored("an inspection weight above 100", s => s["inspectionWeight"] = 150, "/scoring/inspectionWeight", F.WeightRange),
        Scored("a negative grade weight", s => s["gradeWeight"] = -1, "/scoring/gradeWeight", F.WeightRange),
        Scored("a grade scale without 一般", s => s["gradeScale"]!.AsArray().RemoveAt(2), "/scoring/gradeScale", F.MissingGrade),
        Scored("grades listed worst first", s =>
        {
            Row(s, "gradeScale", 0)["grade"] = "Average";
            Row(s, "gradeScale", 2)["grade"] = "Good";
        }, "/scoring/gradeScale/1/grade", F.GradeOrder),
        Scored("较好 worth more than 好", s => Row(s, "gradeScale", 1)["points"] = 6, "/scoring/gradeScale/1/points", F.GradePoints),
        Scored("较好 reached from a higher mean than 好", s => Row(s, "gradeScale", 1)["from"] = 4.5, "/scoring/gradeScale/1/from", F.GradeFrom),
    ];

    public static TheoryData<Broken> Cases()
    {
        var data = new TheoryData<Broken>();
        foreach (var c in All) data.Add(c);
        return data;
    }
}

/// <summary>The checks of a campaign file (Core), one broken file at a time: refused, with the fault where it is.</summary>
public sealed class CampaignFileFaultTests
{
    [Theory]
    [MemberData(nameof(BrokenCampaignFiles.Cases), MemberType = typeof(BrokenCampaignFiles))]
    public void A_broken_file_is_refused_with_the_fault_where_it_is(BrokenCampaignFiles.Broken broken)
    {
        var (file, faults) = CampaignFile.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(broken.Json)));
        Assert.Null(file);
        Assert.Contains(faults, f => f.Where == broken.Where && f.Key == broken.Key);
    }

    [Fact]
    public void The_small_campaign_with_its_own_scoring_has_no_fault()
    {
        var (file, faults) = CampaignFile.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(SmallCampaign.With(f => f["scoring"] = BrokenCampaignFiles.Scoring()))));
        Assert.Empty(faults);
        Assert.Equal((2, 1, 7), (file!.Scoring!.TrimmedMean!.DropHighest, file.Scoring.TrimmedMean.DropLowest, file.Scoring.TrimmedMean.MinimumObservers));
    }

    [Fact]
    public void District_targets_reach_their_indicators_and_a_district_without_one_keeps_its_share()
    {
        var json = SmallCampaign.With(f => f["districtTargets"] = BrokenCampaignFiles.Targets([("signed", "hongshan", 30), ("funds", "songshan", 12.5m)]));
        var (file, faults) = CampaignFile.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Empty(faults);
        var campaign = file!.ToCampaign();
        var signed = campaign.Indicators.Single(i => i.Code == "signed");
        // City target 60 over three districts: 20 each, except Hongshan's own 30.
        Assert.Equal((30m, 20m), (signed.TargetOf("hongshan", 3)!.Value, signed.TargetOf("songshan", 3)!.Value));
        Assert.Equal(12.5m, campaign.Indicators.Single(i => i.Code == "funds").TargetOf("songshan", 3));
    }

    [Fact]
    public void The_small_campaign_itself_has_no_fault()
    {
        var (file, faults) = CampaignFile.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(SmallCampaign.Json)));
        Assert.Empty(faults);
        Assert.Equal(3, file!.Districts.Count);
    }

    [Fact]
    public void Every_fault_of_a_file_is_listed_not_only_the_first()
    {
        var json = SmallCampaign.With(f =>
        {
            f["sites"]![0]!["district"] = "atlantis";
            f["sites"]![1]!["group"] = "west";
            f["days"]![0]!["date"] = "2024-06-01";
            f["districts"]![1]!["code"] = "hongshan";
        });
        var (_, faults) = CampaignFile.Parse(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json)));
        Assert.Contains(faults, f => f is { Where: "/sites/0/district", Key: F.UnknownDistrict });
        Assert.Contains(faults, f => f is { Where: "/sites/1/group", Key: F.UnknownGroup });
        Assert.Contains(faults, f => f is { Where: "/days/0/date", Key: F.DateOutside });
        Assert.Contains(faults, f => f is { Where: "/districts/1/code", Key: F.Duplicate });
    }
}
