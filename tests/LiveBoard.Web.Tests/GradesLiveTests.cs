using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Inspection;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Inspection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LiveBoard.Web.Tests;

/// <summary>The grade table and the leaders' grades page: bUnit over the real services and a real SQLite file.</summary>
public sealed class GradesLiveTests : DemoBunitContext
{
    [Fact]
    public void Grade_table_colours_each_cell_and_derives_the_overall_grade_by_the_rule()
    {
        var districts = new List<District> { new() { Code = "a", Name = "甲", NameEn = "A" }, new() { Code = "b", Name = "乙", NameEn = "B" } };
        var indicators = new[] { "x", "y", "z" }.Select(c => new Indicator { Code = c, Name = c, NameEn = c, Category = IndicatorCategory.BusinessEnvironment }).ToList();
        DistrictGrade G(Grade g) => new() { Quarter = "2023Q2", Grade = g, GradedBy = "organiser" };
        var grades = new Dictionary<(string, string), DistrictGrade>
        {
            [("a", "x")] = G(Grade.Good), [("a", "y")] = G(Grade.Good), [("a", "z")] = G(Grade.FairlyGood), // mean 2.67 → 好
            [("b", "x")] = G(Grade.FairlyGood), [("b", "y")] = G(Grade.Average),                            // mean 1.5 → 一般
        };

        var cut = Render<GradeTable>(p => p.Add(c => c.Districts, districts).Add(c => c.Indicators, indicators).Add(c => c.Grades, grades));

        Assert.Equal("好", cut.Find("[data-testid=overall-grade][data-district=a]").TextContent);
        Assert.Equal("一般", cut.Find("[data-testid=overall-grade][data-district=b]").TextContent);
        Assert.Contains("lb-grade-good", cut.Find("[data-testid=grade-cell][data-district=a][data-indicator=x]").ClassName);
        Assert.Contains("lb-grade-fair", cut.Find("[data-testid=grade-cell][data-district=b][data-indicator=x]").ClassName);
        Assert.Contains("lb-grade-average", cut.Find("[data-testid=grade-cell][data-district=b][data-indicator=y]").ClassName);
        Assert.Equal("—", cut.Find("[data-testid=grade-cell][data-district=b][data-indicator=z]").TextContent);
    }

    [Fact]
    public async Task Leaders_grades_page_shows_a_grade_set_elsewhere_without_reload()
    {
        SignIn(DemoAccounts.Leader, Roles.Leader);
        var cut = Render<Grades>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-page").GetAttribute("data-live")));
        Assert.Equal(25, cut.FindAll("[data-testid=grade-cell][data-district=horqin]").Count);
        Assert.Equal(9, cut.FindAll("[data-testid=overall-grade]").Count);

        await Task.Run(() => Services.GetRequiredService<InspectionService>()
            .SetGradeAsync("horqin", "be-credit", "2023Q2", Grade.Good, "信用体系完善", DemoAccounts.Organiser, Channels.Api));

        cut.WaitForAssertion(() =>
        {
            Assert.Equal("好", cut.Find("[data-testid=grade-cell][data-district=horqin][data-indicator=be-credit]").TextContent);
            Assert.Equal("好", cut.Find("[data-testid=overall-grade][data-district=horqin]").TextContent);
        });
        Assert.Contains("2023Q2", cut.Find("[data-testid=grade-quarter]").TextContent);
    }

    [Fact]
    public async Task Organiser_enters_a_grade_in_the_form_and_the_table_and_the_audit_show_it()
    {
        SignIn(DemoAccounts.Organiser, Roles.Organiser);
        // bUnit's fake authorisation grants policies by name, not through the role requirements.
        Authorization.SetPolicies(Policies.Organiser, Policies.ReadAll);
        var cut = Render<Grades>();
        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find(".lb-page").GetAttribute("data-live")));
        // Nothing graded yet: the campaign (July 2023) grades the quarter that closed before it.
        Assert.Contains("2023Q2", cut.Find("[data-testid=grade-quarter]").TextContent);

        cut.Find("[data-testid=grade-district]").Change("naiman");
        cut.Find("[data-testid=grade-indicator]").Change("be-start-business");
        cut.Find("[data-testid=grade-value]").Change(nameof(Grade.FairlyGood));
        cut.Find("[data-testid=grade-remark]").Change("开办企业一日办结");
        cut.Find("[data-testid=grade-save]").Click();

        cut.WaitForAssertion(() =>
            Assert.Equal("较好", cut.Find("[data-testid=grade-cell][data-district=naiman][data-indicator=be-start-business]").TextContent));
        await using var db = await Services.GetRequiredService<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        var grade = await db.DistrictGrades.SingleAsync();
        Assert.Equal(("2023Q2", Grade.FairlyGood, "开办企业一日办结", DemoAccounts.Organiser), (grade.Quarter, grade.Grade, grade.Remark, grade.GradedBy));
        Assert.Equal(1, await db.AuditEvents.CountAsync(a => a.Kind == InspectionAudit.GradeSet && a.Channel == Channels.Web));
    }
}
