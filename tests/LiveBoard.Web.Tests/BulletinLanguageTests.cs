using System.Globalization;
using System.Text.RegularExpressions;
using Bunit;
using LiveBoard.Web.Features.Meeting;

namespace LiveBoard.Web.Tests;

/// <summary>The bulletin page speaks its reader's language, movement included; the workbook stays Chinese.</summary>
public sealed class BulletinLanguageTests : DemoBunitContext
{
    [Fact]
    public void English_bulletin_writes_movement_in_english_and_the_chinese_one_in_chinese()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("en");
        var english = Render<Bulletin>(p => p.Add(x => x.Day, "2023-07-29"));
        english.WaitForAssertion(() => Assert.NotEmpty(english.FindAll("[data-testid=bulletin-ranking] tbody tr")));
        var movement = english.FindAll("[data-testid=bulletin-ranking] tbody tr td:last-child").Select(td => td.TextContent.Trim()).ToList();
        // The demo compares with the first-quarter bulletin: districts moved both ways.
        Assert.All(movement, m => Assert.Matches(@"^(up \d+|down \d+|no change|new)$", m));
        Assert.Contains(movement, m => m.StartsWith("up ", StringComparison.Ordinal));
        var lists = english.FindAll(".lb-bulletin-list li").Select(li => li.TextContent).ToList();
        Assert.NotEmpty(lists);
        Assert.DoesNotContain(lists, t => Regex.IsMatch(t, @"[\u3000-\u303F\uFF00-\uFFEF\u4E00-\u9FFF]"));
        // The indicator table's ranks and the gaps' labels too (the figures' units are English already).
        var cells = english.FindAll("[data-testid=bulletin-ranking] ~ * td, .lb-bulletin-wide td, .lb-bulletin-gaps").Select(e => e.TextContent).ToList();
        Assert.NotEmpty(cells);
        Assert.DoesNotContain(cells, t => t.Contains('（', StringComparison.Ordinal) || t.Contains('：', StringComparison.Ordinal));

        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        var chinese = Render<Bulletin>(p => p.Add(x => x.Day, "2023-07-29"));
        chinese.WaitForAssertion(() => Assert.NotEmpty(chinese.FindAll("[data-testid=bulletin-ranking] tbody tr")));
        var zh = chinese.FindAll("[data-testid=bulletin-ranking] tbody tr td:last-child").Select(td => td.TextContent.Trim()).ToList();
        Assert.All(zh, m => Assert.Matches(@"^(上升\d+位|下降\d+位|持平|新上榜)$", m));
        Assert.Contains(chinese.FindAll(".lb-bulletin-list li"), li => li.TextContent.Contains('（', StringComparison.Ordinal));
    }
}
