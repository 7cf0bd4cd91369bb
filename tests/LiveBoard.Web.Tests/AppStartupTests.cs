using System.Net;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests;

public class AppStartupTests
{
    [Fact]
    public async Task First_start_migrates_an_empty_file_turns_on_WAL_and_loads_the_Tongliao_demo()
    {
        await using var host = new LiveBoardHost();
        host.Start();

        await using (var db = await host.Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
        {
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
            Assert.Equal(9, await db.Districts.CountAsync());
            Assert.Equal(30, await db.Indicators.CountAsync());
            Assert.True(await db.Sites.CountAsync() >= 20);
            Assert.Equal(2, await db.TouringGroups.CountAsync());
        }

        // Read the file as another process would: the journal mode is a property of the file itself.
        await using var raw = new SqliteConnection($"Data Source={host.DatabasePath};Mode=ReadOnly");
        await raw.OpenAsync();
        await using var cmd = raw.CreateCommand();
        cmd.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", (string?)await cmd.ExecuteScalarAsync());
        cmd.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = '__EFMigrationsHistory'";
        Assert.Equal(1L, (long?)await cmd.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Second_start_on_the_same_file_keeps_the_data_and_does_not_seed_twice()
    {
        var path = TempPaths.NewDatabase();
        await using (var first = new LiveBoardHost(path)) first.Start();
        await using var second = new LiveBoardHost(path);
        second.Start();
        await using var db = await second.Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        Assert.Equal(1, await db.Campaigns.CountAsync());
        Assert.Equal(9, await db.Districts.CountAsync());
    }

    [Fact]
    public async Task Overview_is_served_in_Chinese_by_default_and_in_English_on_request()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        using var http = new HttpClient { BaseAddress = root };
        // An English browser still gets Chinese: officials' screens default to zh-CN.
        http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("en-US");

        var html = WebUtility.HtmlDecode(await http.GetStringAsync("/"));
        Assert.Contains("科尔沁区", html);
        Assert.Contains("科尔沁左翼后旗", html);
        Assert.Contains("综合排名", html);
        Assert.Contains("1,500.0 亿元", html);
        Assert.Equal(9, CountOf(html, "data-testid=\"ranking-row\""));
        Assert.Contains("<html lang=\"zh-CN\"", html);

        var english = WebUtility.HtmlDecode(await http.GetStringAsync("/?culture=en"));
        Assert.Contains("Horqin Left Rear Banner", english);
        Assert.Contains("Composite ranking", english);
        Assert.Contains("150.00 bn yuan", english);
    }

    [Fact]
    public async Task Language_choice_is_remembered_in_a_cookie()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        using var handler = new HttpClientHandler { CookieContainer = new CookieContainer() };
        using var http = new HttpClient(handler) { BaseAddress = root };

        var switched = await http.GetAsync("/culture/en?redirect=/");
        Assert.Equal(HttpStatusCode.OK, switched.StatusCode); // followed the redirect to /
        Assert.Contains("Composite ranking", WebUtility.HtmlDecode(await switched.Content.ReadAsStringAsync()));
        Assert.Contains("Composite ranking", WebUtility.HtmlDecode(await http.GetStringAsync("/")));

        Assert.Equal(HttpStatusCode.BadRequest, (await http.GetAsync("/culture/fr")).StatusCode);
    }

    [Fact]
    public async Task Static_assets_come_from_wwwroot_assets()
    {
        await using var host = new LiveBoardHost();
        using var http = new HttpClient { BaseAddress = host.Start() };
        var css = await http.GetStringAsync("/css/liveboard.css");
        var source = await File.ReadAllTextAsync(Path.Combine(TempPaths.RepoRoot(), "wwwroot-assets", "css", "liveboard.css"));
        Assert.Equal(source, css);
    }

    private static int CountOf(string text, string needle)
    {
        var count = 0;
        for (var i = text.IndexOf(needle, StringComparison.Ordinal); i >= 0; i = text.IndexOf(needle, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
