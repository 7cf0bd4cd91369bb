using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Core;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Meeting;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveBoard.Web.Tests;

/// <summary>/hubs/live carries the evening meeting: each step and each publication, over a real server and SignalR client.</summary>
public sealed class LiveHubMeetingTests : LiveHubHost
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly DateOnly Day = new(2023, 7, 29);

    private HubConnection Connect(string query) =>
        new HubConnectionBuilder().WithUrl(new Uri(Root, LiveHub.Path.TrimStart('/') + query)).Build();

    private static Task<T> Next<T>(HubConnection hub, string method, Func<T, bool> match) => hub.Next(method, match);

    [Fact]
    public async Task A_meeting_client_hears_each_step_with_its_item_and_each_publication_with_its_document()
    {
        await using var hub = Connect($"?key={Uri.EscapeDataString(Led.Key)}&topics=meeting");
        var opened = Next<LiveMeetingChanged>(hub, "MeetingChanged", m => m.Active && m.Step == 0);
        var district = Next<LiveMeetingChanged>(hub, "MeetingChanged", m => m.Step == 1);
        var ended = Next<LiveMeetingChanged>(hub, "MeetingChanged", m => !m.Active);
        var published = Next<LiveRankingPublished>(hub, "RankingPublished", _ => true);
        await hub.StartCurrentAsync();

        var meeting = Host.Service<MeetingService>();
        var campaign = (await Host.Service<LiveStandings>().CurrentAsync())!.Campaign.Id;
        await meeting.OpenAsync(campaign, Day, DemoAccounts.Organiser, "laptop");
        var first = await opened.WaitAsync(Wait);
        Assert.Equal(("2023-07-29", "overview", (string?)null), (first.Day, first.ItemKind, first.DistrictCode));

        var agenda = (await meeting.LoadAsync(Day))!.Agenda;
        await meeting.GoAsync(campaign, Day, "laptop", 1, agenda.Count);
        var second = await district.WaitAsync(Wait);
        Assert.Equal(("district", agenda[1].DistrictCode), (second.ItemKind, second.DistrictCode));
        Assert.NotNull(second.DistrictCode);

        var publication = await Host.Service<PublicationService>().PublishAsync(Day, "第一天点评", DemoAccounts.Organiser, Channels.Api);
        var announced = await published.WaitAsync(Wait);
        Assert.Equal((publication!.Version, "2023-07-29"), (announced.Version, announced.Day));
        // The url reads the publication's own document.
        using var organiser = await ApiClients.SignedInAsync(Root, DemoAccounts.Organiser, SignedInClients.DemoPassword(Host));
        var document = await organiser.GetFromJsonAsync<JsonElement>(announced.Url.TrimStart('/'));
        Assert.Equal(publication.Version, document.GetProperty("version").GetInt32());

        await meeting.EndAsync(campaign, Day, "laptop");
        Assert.Null((await ended.WaitAsync(Wait)).ItemKind);
    }
}
