using LiveBoard.Core.Meeting;

namespace LiveBoard.Core.Tests;

public sealed class MeetingAgendaTests
{
    [Fact]
    public void Agenda_is_overview_then_districts_in_route_order_by_group_once_each_then_ranking_gaps_and_grades()
    {
        var agenda = MeetingAgenda.Build(
        [
            new RouteStop("north", 2, "jarud"), new RouteStop("south", 2, "kailu"), new RouteStop("north", 1, "huolingol"),
            new RouteStop("south", 1, "horqin"), new RouteStop("south", 3, "horqin"),
        ], ["south", "north"]);
        Assert.Equal(["overview", "district:horqin", "district:kailu", "district:huolingol", "district:jarud", "ranking", "gaps", "grades"],
            agenda.Select(i => i.Key));
        Assert.Equal(Enumerable.Range(0, 8), agenda.Select(i => i.Index));
    }

    [Fact]
    public void A_day_without_sites_still_has_overview_ranking_gaps_and_grades() =>
        Assert.Equal(["overview", "ranking", "gaps", "grades"], MeetingAgenda.Build([], []).Select(i => i.Key));
}
