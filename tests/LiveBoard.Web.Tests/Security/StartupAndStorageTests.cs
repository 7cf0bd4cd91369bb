using System.Globalization;
using LiveBoard.Core.Figures;
using LiveBoard.Testing;
using LiveBoard.Web.Data.Migrations;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Campaigns;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Security;
using Microsoft.Data.Sqlite;

namespace LiveBoard.Web.Tests.Security;

/// <summary>The database refuses to rewrite history, and the app refuses to start where it should not.</summary>
public sealed class StartupAndStorageTests
{
    [Fact]
    public async Task Audit_and_revision_tables_refuse_UPDATE_and_DELETE_from_raw_SQL_and_keep_their_rows()
    {
        await using var host = new LiveBoardHost(settings: new() { [CampaignClock.Setting] = RunningAppTests.Day1 });
        host.Start();
        // A row in every table: a report (revision + audit), a publication (ranking + entries), a change of weights.
        await host.Service<FigureService>().ReportAsync(new ReportRequest("hure",
            [new FigureEntry("signed-projects", 150, null, "大项目集中签约")], DemoAccounts.Reporter("hure"), Channels.Api));
        Assert.NotNull(await host.Service<PublicationService>().PublishAsync(
            DateOnly.Parse(RunningAppTests.Day1, CultureInfo.InvariantCulture), "第一天", DemoAccounts.Organiser, Channels.Api));
        var campaign = (await host.Service<LiveBoard.Web.Standings.LiveStandings>().CurrentAsync())!.Campaign.Id;
        Assert.IsType<WeightsOutcome.Changed>(await host.Service<CampaignWeights>().ChangeAsync(campaign,
            new Dictionary<string, WeightAndTarget> { ["started-projects"] = new(30, 130) }, "市委要求突出开工", DemoAccounts.Organiser, Channels.Api));

        await using var connection = new SqliteConnection(host.ConnectionString);
        await connection.OpenAsync();
        async Task<long> Scalar(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }
        foreach (var table in AppendOnlyAuditTables.Tables.Concat(WeightsVersionsAreAppendOnly.Tables))
        {
            var rows = await Scalar($"SELECT count(*) FROM \"{table}\"");
            Assert.True(rows > 0, $"{table} has no row to protect");
            var checksum = await Scalar($"SELECT total(length(quote(\"{table}\".Id))) FROM \"{table}\"");
            foreach (var sql in new[] { $"UPDATE \"{table}\" SET Id = Id + 1000000", $"DELETE FROM \"{table}\"" })
            {
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                var refused = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteNonQueryAsync());
                Assert.Contains($"{table} is append-only", refused.Message);
            }
            Assert.Equal(rows, await Scalar($"SELECT count(*) FROM \"{table}\""));
            Assert.Equal(checksum, await Scalar($"SELECT total(length(quote(\"{table}\".Id))) FROM \"{table}\""));
        }
    }

    [Fact]
    public void The_bundled_SQLite_is_new_enough_and_anything_older_than_3_51_3_is_refused()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Assert.Null(StartupChecks.SqliteProblem(connection.ServerVersion));
        Assert.Null(StartupChecks.SqliteProblem("3.51.3"));
        Assert.Contains("older than 3.51.3", StartupChecks.SqliteProblem("3.51.2"));
        Assert.Contains("older than 3.51.3", StartupChecks.SqliteProblem("3.46.1"));
        Assert.NotNull(StartupChecks.SqliteProblem("not a version"));
    }

    [Fact]
    public async Task With_demo_mode_off_the_app_refuses_to_start_while_demo_accounts_remain()
    {
        var path = TempPaths.NewDatabase();
        await using (var demo = new LiveBoardHost(path)) demo.Start();

        await using var production = new LiveBoardHost(path, settings: new() { ["LiveBoard:Demo"] = "false" });
        var refused = Assert.ThrowsAny<Exception>(() => production.Start());
        var message = refused.ToString();
        Assert.Contains("Demo mode is off", message);
        Assert.Contains("reporter-hure (demo password)", message);
    }
}
