using Bunit;
using LiveBoard.Core;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Meeting;

namespace LiveBoard.Web.Tests;

/// <summary>The day's bulletin says it is a draft until the day's ranking is published.</summary>
public sealed class BulletinDraftTests : DemoBunitContext
{
    [Fact]
    public async Task Bulletin_says_draft_until_the_day_is_published()
    {
        var draft = Render<Bulletin>(p => p.Add(x => x.Day, "2023-07-29"));
        draft.WaitForAssertion(() => Assert.Equal("· 草稿 · 未公布", draft.Find("[data-testid=bulletin-draft]").TextContent.Trim()));
        Assert.Empty(draft.FindAll("[data-testid=bulletin-announced]"));

        await Service<PublicationService>().PublishAsync(new DateOnly(2023, 7, 29), "第一天", DemoAccounts.Organiser, Channels.Api);

        var published = Render<Bulletin>(p => p.Add(x => x.Day, "2023-07-29"));
        published.WaitForAssertion(() => Assert.Contains("第2版", published.Find("[data-testid=bulletin-announced]").TextContent, StringComparison.Ordinal));
        Assert.Empty(published.FindAll("[data-testid=bulletin-draft]"));
    }
}
