using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>The push API over the real app: real Kestrel, real HttpClient, real SQLite file.</summary>
public sealed class ReportingApiTests : RunningApp
{
    [Fact]
    public async Task Token_has_an_expiry_and_unlocks_the_campaign_codes()
    {
        using var anonymous = SignedInClients.Anonymous(Root);
        var token = await (await SignedInClients.RequestTokenAsync(anonymous, "reporter-hure", SignedInClients.DemoPassword(Host)))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(3600, token.GetProperty("expiresIn").GetInt32());
        Assert.Equal("Bearer", token.GetProperty("tokenType").GetString());

        using var api = await SignedInClients.ApiAsync(Host, Root, "reporter-hure");
        var campaign = await api.GetFromJsonAsync<JsonElement>("/api/v1/campaigns/current");
        Assert.Equal(9, campaign.GetProperty("districts").GetArrayLength());
        Assert.Contains("signed-projects", campaign.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task Report_returns_201_and_a_retry_with_the_same_key_returns_the_same_answer_and_writes_nothing()
    {
        using var api = await SignedInClients.ApiAsync(Host, Root, "reporter-hure");
        var body = new { district = "hure", values = new[] { new { indicator = "signed-projects", value = 21m, reason = "核实补报" } } };

        var first = await api.SendAsync(Report("hure-2023-07-30-1", body));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var firstJson = await first.Content.ReadAsStringAsync();
        var writes = await TestData.WritesAsync(Host);

        var retry = await api.SendAsync(Report("hure-2023-07-30-1", body));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(firstJson, await retry.Content.ReadAsStringAsync());
        Assert.Equal(writes, await TestData.WritesAsync(Host));

        var history = await TestData.HistoryAsync(Host, "hure", "signed-projects");
        Assert.Equal([null, 15m], history.Select(r => r.OldValue));
        Assert.Equal(21m, history[^1].NewValue);
        Assert.Equal(("reporter-hure", Channels.Api, "核实补报"), (history[^1].ChangedBy, history[^1].Channel, history[^1].Reason));
        Assert.False(string.IsNullOrEmpty(history[^1].RequestId));

        // The same key with another body is a mistake, not a retry.
        var misuse = await api.SendAsync(Report("hure-2023-07-30-1", new { district = "hure", values = new[] { new { indicator = "signed-projects", value = 22m, reason = "x" } } }));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, misuse.StatusCode);
        Assert.Equal(writes, await TestData.WritesAsync(Host));
    }

    [Fact]
    public async Task Two_writers_from_the_same_version_second_gets_409_with_the_first_value_and_both_stay_in_history()
    {
        using var hure = await SignedInClients.ApiAsync(Host, Root, "reporter-hure");
        using var organiser = await SignedInClients.ApiAsync(Host, Root, "organiser");
        var start = await TestData.FigureAsync(Host, "hure", "funds-in-place");

        var first = await hure.SendAsync(Report("a", new { district = "hure", values = new[] { new { indicator = "funds-in-place", value = 9.5m, expectedVersion = start.Version, reason = "第一次" } } }));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var second = await organiser.SendAsync(Report("b", new { district = "hure", values = new[] { new { indicator = "funds-in-place", value = 10m, expectedVersion = start.Version, reason = "第二次" } } }));
        Assert.Equal(HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal("application/problem+json", second.Content.Headers.ContentType?.MediaType);
        var conflict = (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("conflicts")[0];
        Assert.Equal(9.5m, conflict.GetProperty("currentValue").GetDecimal());
        Assert.Equal("reporter-hure", conflict.GetProperty("currentAuthor").GetString());

        // Having seen it, the organiser corrects deliberately from the new version.
        var third = await organiser.SendAsync(Report("c", new { district = "hure", values = new[] { new { indicator = "funds-in-place", value = 10m, expectedVersion = start.Version + 1, reason = "核对后更正" } } }));
        Assert.Equal(HttpStatusCode.Created, third.StatusCode);
        var history = await TestData.HistoryAsync(Host, "hure", "funds-in-place");
        Assert.Equal([(start.Value, 9.5m, "reporter-hure"), (9.5m, 10m, "organiser")],
            history.Skip(1).Select(r => (r.OldValue!.Value, r.NewValue, r.ChangedBy)));
    }

    [Fact]
    public async Task Reporter_cannot_write_another_districts_figure()
    {
        using var hure = await SignedInClients.ApiAsync(Host, Root, "reporter-hure");
        var writes = await TestData.WritesAsync(Host);
        var response = await hure.SendAsync(Report("x", new { district = "naiman", values = new[] { new { indicator = "signed-projects", value = 99m, reason = "x" } } }));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(writes, await TestData.WritesAsync(Host));
    }

    [Fact]
    public async Task Invalid_report_is_400_problem_json_with_an_error_per_field_and_writes_nothing()
    {
        using var api = await SignedInClients.ApiAsync(Host, Root, "reporter-hure");
        var writes = await TestData.WritesAsync(Host);
        var response = await api.SendAsync(Report("bad", new
        {
            district = "hure",
            values = new object[]
            {
                new { indicator = "signed-projects", value = -3m, reason = "x" },
                new { indicator = "funds-in-place", value = 1.23456m, reason = "x" },
                new { indicator = "no-such-indicator", value = 1m },
            },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["funds-in-place", "no-such-indicator", "signed-projects"], errors.EnumerateObject().Select(p => p.Name).Order());
        Assert.Equal("不能为负数", errors.GetProperty("signed-projects")[0].GetString()?.Trim());
        Assert.Equal(writes, await TestData.WritesAsync(Host));
    }

    [Fact]
    public async Task Leaders_read_figures_and_rankings_with_composite_and_per_indicator_standings()
    {
        using var leader = await SignedInClients.ApiAsync(Host, Root, "leader");
        var figures = await leader.GetFromJsonAsync<JsonElement>("/api/v1/figures?district=hure");
        Assert.All(figures.EnumerateArray(), f => Assert.Equal("hure", f.GetProperty("district").GetString()));
        var rankings = await leader.GetFromJsonAsync<JsonElement>("/api/v1/rankings");
        Assert.Equal(9, rankings.GetProperty("composite").GetArrayLength());
        Assert.Equal(5, rankings.GetProperty("byIndicator").GetArrayLength());
    }
}
