using LiveBoard.Core.Campaigns;

namespace LiveBoard.Core.Tests;

/// <summary>The embedded demo must agree with the newspaper article it comes from.</summary>
public class DemoCampaignTests
{
    private static CampaignFile Demo()
    {
        using var stream = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Demo", "tongliao-2023h1.json"));
        return CampaignFile.Read(stream);
    }

    private static decimal CitySum(CampaignFile demo, string indicator) =>
        demo.Figures.Values.Sum(values => values[indicator]);

    [Fact]
    public void Districts_carry_the_short_names_officials_use_on_boards()
    {
        var districts = Demo().ToCampaign().Districts;
        // DOMAIN.md: 科区, 霍市, 开鲁, 左中, 左后, 库伦, 奈曼, 扎旗, 开发区, in the official order.
        Assert.Equal(["科区", "霍市", "开鲁", "左中", "左后", "库伦", "奈曼", "扎旗", "开发区"], districts.Select(d => d.Short(chinese: true)));
        Assert.Equal(districts.Count, districts.Select(d => d.Short(chinese: false)).Distinct().Count());
        Assert.Equal("科尔沁区", new District { Code = "x", Name = "科尔沁区", NameEn = "Horqin District" }.Short(chinese: true));
    }

    [Fact]
    public void District_figures_sum_to_the_articles_city_figures()
    {
        var demo = Demo();
        // 2023 H1, from the article: 229 signed projects worth 1,500 亿, 118 started, 121 亿 in place.
        Assert.Equal(229m, CitySum(demo, "signed-projects"));
        Assert.Equal(1500m, CitySum(demo, "signed-investment"));
        Assert.Equal(118m, CitySum(demo, "started-projects"));
        Assert.Equal(121m, CitySum(demo, "funds-in-place"));
        // "限额以上固定资产投资增速保持在35%以上"
        Assert.True(demo.Figures.Values.Average(v => v["fai-growth"]) >= 35m);
    }

    [Fact]
    public void Demo_has_tongliaos_districts_groups_days_and_sites()
    {
        var demo = Demo();
        Assert.Equal(9, demo.Districts.Count);
        Assert.Contains(demo.Districts, d => d.Name == "科尔沁区");
        Assert.Contains(demo.Districts, d => d.Name == "通辽经济技术开发区");
        Assert.Equal(["南线拉练观摩组", "北线拉练观摩组"], demo.TouringGroups.Select(g => g.Name));
        Assert.Equal(new DateOnly(2023, 7, 29), demo.StartDate);
        Assert.Equal(new DateOnly(2023, 8, 2), demo.EndDate);
        Assert.Equal(5, demo.Days.Count);
        Assert.True(demo.Sites.Count >= 20);
        Assert.Contains(demo.Sites, s => s.Name.Contains("康乃尔") && s.District == "jarud" && s.PlannedInvestment == 58.8m);
        Assert.Equal(5, demo.Indicators.Count(i => i.Category == IndicatorCategory.Headline));
        Assert.Equal(25, demo.Indicators.Count(i => i.Category == IndicatorCategory.BusinessEnvironment));
        Assert.Equal(100m, demo.Indicators.Sum(i => i.Weight));
    }

    [Fact]
    public void A_file_that_refers_to_an_unknown_district_is_refused_whole()
    {
        var json = """
            { "schemaVersion": 1, "code": "x", "name": "x", "nameEn": "x", "city": "x", "cityEn": "x",
              "startDate": "2024-01-01", "endDate": "2024-01-02",
              "districts": [ { "code": "a", "name": "A", "nameEn": "A" } ],
              "figures": { "nowhere": { } } }
            """;
        var error = Assert.Throws<CampaignFileException>(() => CampaignFile.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))));
        Assert.Contains(new CampaignFault("/figures/nowhere", CampaignFile.Faults.UnknownDistrict, "nowhere"), error.Faults);
    }
}
