using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Security;

/// <summary>
/// Generated hostile input to every write endpoint of the push API (token, reports, scores, publish, displays): valid JSON
/// shapes with one hostile value each, bytes that are not UTF-8, JSON strings holding lone surrogates, numbers that underflow
/// or overflow, and valid bodies under content types other than application/json. Every one is the caller's fault: a 4xx
/// (never a 5xx), and no row is written anywhere but the audit.
/// </summary>
public sealed class GeneratedInputTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Day1 = RunningAppTests.Day1;

    // The limits are lifted so that every body reaches the code that reads it: a 429 would hide what that code does.
    // In the Production environment: whatever fails answers through the production error handler, as on the open network.
    private LiveBoardHost Host { get; } = new(environment: "Production", settings: new()
    {
        [CampaignClock.Setting] = Day1,
        ["LiveBoard:RateLimits:AuthPerMinute"] = "100000",
        ["LiveBoard:RateLimits:WritesPerMinute"] = "100000",
        ["LiveBoard:SignIn:FreeFailuresPerAddress"] = "100000",
    });

    private Uri Root { get; set; } = default!;

    public Task InitializeAsync()
    {
        Root = Host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    private Task<HttpClient> ApiAs(string user) => ApiClients.SignedInAsync(Root, user, DemoAccounts.DefaultPassword);

    private Task<LiveBoardDbContext> Db() => Host.DbAsync();

    /// <summary>A request body: raw bytes (so that invalid UTF-8 can be sent) and its content type (null: none).</summary>
    public sealed record Body(string Name, byte[] Bytes, string? ContentType = "application/json");

    // String values every text field must refuse: not text (bad UTF-8 bytes, lone surrogates), control characters, absurd
    // lengths, and wrong JSON types. Raw JSON fragments, spliced into otherwise valid bodies.
    private static readonly (string Name, byte[] Json)[] HostileStrings =
    [
        ("utf8 ff fe", Raw("\"", [0xFF, 0xFE], "\"")),
        ("utf8 lone continuation", Raw("\"a", [0x80], "b\"")),
        ("utf8 truncated", Raw("\"a", [0xC3], "\"")),
        ("utf8 overlong slash", Raw("\"", [0xC0, 0xAF], "\"")),
        ("utf8 encoded surrogate", Raw("\"", [0xED, 0xA0, 0x80], "\"")),
        ("utf8 beyond U+10FFFF", Raw("\"", [0xF4, 0x90, 0x80, 0x80], "\"")),
        ("utf8 five bytes", Raw("\"", [0xF8, 0x88, 0x80, 0x80, 0x80], "\"")),
        ("lone high surrogate", Utf8("\"\\ud800\"")),
        ("lone low surrogate", Utf8("\"\\udfff\"")),
        ("high surrogate then text", Utf8("\"\\ud83dabc\"")),
        ("reversed pair", Utf8("\"\\udc00\\ud800\"")),
        ("surrogate at end", Utf8("\"hure\\ud800\"")),
        ("NUL", Utf8("\"a\\u0000b\"")),
        ("bell", Utf8("\"a\\u0007b\"")),
        ("escape", Utf8("\"\\u001b[31m\"")),
        ("ten thousand chars", Utf8($"\"{new string('长', 10_000)}\"")),
        ("number", Utf8("12")),
        ("true", Utf8("true")),
        ("array", Utf8("[\"hure\"]")),
        ("object", Utf8("{\"a\":1}")),
        .. RandomInvalidUtf8(20),
    ];

    /// <summary>JSON strings with a run of random bytes from 0x80–0xFF inside: never valid UTF-8 (a seed, so every run sends the same).</summary>
    private static IEnumerable<(string, byte[])> RandomInvalidUtf8(int count)
    {
        var random = new Random(2019);
        for (var i = 0; i < count; i++)
        {
            var run = new byte[1 + random.Next(6)];
            random.NextBytes(run);
            for (var b = 0; b < run.Length; b++) run[b] |= 0x80;
            // A lead byte with no continuation after it: whatever the random run held, the string is not UTF-8.
            yield return ($"random invalid utf8 {i}", Raw("\"x", [.. run, 0xC2], "\""));
        }
    }

    // What a required text field must refuse besides: nothing in it. (An optional one may be left empty.)
    private static readonly (string Name, byte[] Json)[] EmptyStrings = [("empty", Utf8("\"\"")), ("blank", Utf8("\"   \""))];

    // Numbers every number field must refuse: too small to be anything but zero, too big for any number type, not numbers.
    private static readonly (string Name, byte[] Json)[] HostileNumbers =
    [
        ("1e-400", Utf8("1e-400")), ("-1e-400", Utf8("-1e-400")), ("1e-330", Utf8("1e-330")),
        ("0.<400 zeros>1", Utf8("0." + new string('0', 400) + "1")),
        ("1e309", Utf8("1e309")), ("-1e309", Utf8("-1e309")), ("1e400", Utf8("1e400")),
        ("400 digits", Utf8(new string('9', 400))), ("1E+99999", Utf8("1E+99999")),
        ("string", Utf8("\"18\"")), ("bad utf8 string", Raw("\"", [0xFF], "\"")), ("lone surrogate string", Utf8("\"\\ud800\"")),
        ("true", Utf8("true")), ("array", Utf8("[18]")), ("object", Utf8("{}")),
        .. Enumerable.Range(0, 16).Select(i => ($"{(i % 2 == 0 ? "" : "-")}{1 + i % 9}e-{330 + i * 7}", Utf8($"{(i % 2 == 0 ? "" : "-")}{1 + i % 9}e-{330 + i * 7}"))),
    ];

    // Whole bodies that are no JSON document at all.
    private static IEnumerable<(string Name, byte[] Bytes)> BrokenDocuments()
    {
        yield return ("bytes ff fe", [0xFF, 0xFE, 0x7B, 0x7D]);
        yield return ("utf-16 bom", [0xFF, 0xFE, 0x7B, 0x00, 0x7D, 0x00]);
        yield return ("utf-8 bom then bad byte", [0xEF, 0xBB, 0xBF, 0x7B, 0xFF, 0x7D]);
        yield return ("NUL bytes", [0, 0, 0, 0]);
        yield return ("truncated", Utf8("{\"a\":"));
        yield return ("trailing comma", Utf8("{\"a\":1,}"));
        yield return ("single quotes", Utf8("{'a':1}"));
        yield return ("deep nesting", Utf8(new string('[', 500) + new string(']', 500)));
        yield return ("two documents", Utf8("{}{}"));
        yield return ("comment", Utf8("/* x */ {}"));
        yield return ("NaN", Utf8("NaN"));
        yield return ("xml", Utf8("<a/>"));
        var random = new Random(14);
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[1 + random.Next(64)];
            random.NextBytes(bytes);
            yield return ($"random bytes {i}", bytes);
        }
    }

    private static readonly string?[] ForeignContentTypes =
        [null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/xml", "text/json-ish", "application/octet-stream"];

    private static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);
    private static byte[] Raw(string before, byte[] middle, string after) => [.. Utf8(before), .. middle, .. Utf8(after)];

    /// <summary>
    /// Every body for one endpoint, from a valid body given as (field, JSON) pairs: each string field with each hostile
    /// string, each number field with each hostile number, broken documents, and the valid body under foreign content types.
    /// </summary>
    public static List<Body> Generate(string endpoint, (string Field, string Json)[] valid, string[] stringFields, string[] numberFields, string[]? optionalStrings = null)
    {
        byte[] With(string field, byte[] value)
        {
            var parts = new List<byte>();
            parts.AddRange(Utf8("{"));
            for (var i = 0; i < valid.Length; i++)
            {
                if (i > 0) parts.Add((byte)',');
                parts.AddRange(Utf8($"\"{valid[i].Field}\":"));
                parts.AddRange(valid[i].Field == field ? value : Utf8(valid[i].Json));
            }
            parts.AddRange(Utf8("}"));
            return [.. parts];
        }
        var bodies = new List<Body>();
        foreach (var field in stringFields)
            foreach (var (name, json) in optionalStrings?.Contains(field) == true ? HostileStrings : [.. HostileStrings, .. EmptyStrings])
                bodies.Add(new Body($"{endpoint} {field}={name}", With(field, json)));
        foreach (var field in numberFields)
            foreach (var (name, json) in HostileNumbers)
                bodies.Add(new Body($"{endpoint} {field}={name}", With(field, json)));
        foreach (var (name, bytes) in BrokenDocuments())
            bodies.Add(new Body($"{endpoint} {name}", bytes));
        var validBytes = With("", []);
        foreach (var type in ForeignContentTypes)
            bodies.Add(new Body($"{endpoint} content-type {type ?? "none"}", validBytes, type));
        return bodies;
    }

    [Fact]
    public async Task A_thousand_hostile_bodies_to_every_write_endpoint_get_4xx_and_write_nothing()
    {
        // The report's value sits inside values[0], so its fields are generated on a one-entry array of its own.
        var site = await SouthSiteOfDay1Async();
        var endpoints = new List<(string Path, string? User, List<Body> Bodies, Body Valid)>();
        void Add(string path, string? user, (string, string)[] valid, string[] strings, string[] numbers, string[]? optional = null)
        {
            var bodies = Generate(path, valid, strings, numbers, optional);
            endpoints.Add((path, user, bodies, new Body(path + " valid", bodies[^1].Bytes)));
        }
        // An account no other endpoint here signs in with: the hostile passwords lock it on the way.
        Add("api/v1/auth/token", null, [("username", "\"observer-north-2\""), ("password", "\"Wrong-password-1\"")], ["username", "password"], []);
        Add("api/v1/scores", "observer-south-1",
            [("site", site.ToString(CultureInfo.InvariantCulture)), ("structure", "20"), ("efficiency", "20"), ("service", "20"), ("results", "20"), ("gaps", "\"无\""), ("highlights", "\"好\"")],
            ["gaps", "highlights"], ["site", "structure", "efficiency", "service", "results"], optional: ["gaps", "highlights"]);
        Add("api/v1/rankings/publish", DemoAccounts.Organiser, [("day", "\"2023-07-29\""), ("note", "\"第一天\"")], ["day", "note"], [], optional: ["note"]);
        Add("api/v1/displays", DemoAccounts.Organiser,
            [("name", "\"北门大屏\""), ("slug", "\"north-gate\""), ("playlist", "[\"ranking\"]"), ("intervalSeconds", "20"), ("pinnedPanel", "\"ranking\""), ("theme", "\"dark\"")],
            ["name", "slug", "pinnedPanel", "theme"], ["intervalSeconds"], optional: ["slug"]);
        // Reports: the hostile value in the district, or in the one entry's fields.
        var reports = Generate("api/v1/reports", [("district", "\"hure\""), ("values", "[]")], ["district"], []);
        var entry = Generate("values[0]", [("indicator", "\"signed-projects\""), ("value", "18"), ("expectedVersion", "1"), ("reason", "\"核实\"")],
            ["indicator", "reason"], ["value", "expectedVersion"]);
        foreach (var e in entry.Where(e => e.ContentType == "application/json"))
            reports.Add(e with { Name = "api/v1/reports " + e.Name, Bytes = [.. Utf8("{\"district\":\"hure\",\"values\":["), .. e.Bytes, .. Utf8("]}")] });
        var validReport = Utf8("{\"district\":\"hure\",\"values\":[{\"indicator\":\"signed-projects\",\"value\":18,\"expectedVersion\":1,\"reason\":\"核实\"}]}");
        foreach (var type in ForeignContentTypes) reports.Add(new Body($"api/v1/reports content-type {type ?? "none"}", validReport, type));
        endpoints.Add(("api/v1/reports", "reporter-hure", reports, new Body("api/v1/reports valid", validReport)));

        var total = endpoints.Sum(e => e.Bodies.Count);
        Assert.True(total >= 1000, $"only {total} bodies generated");

        var before = await RowCountsAsync();
        var serverErrors = new List<string>();
        var outcomes = new Dictionary<int, int>();
        foreach (var (path, user, bodies, _) in endpoints)
        {
            using var client = user is null ? new HttpClient { BaseAddress = Root } : await ApiAs(user);
            foreach (var body in bodies)
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(body.Bytes) };
                request.Content.Headers.ContentType = body.ContentType is null ? null : MediaTypeHeaderValue.Parse(body.ContentType);
                request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
                using var response = await client.SendAsync(request);
                var status = (int)response.StatusCode;
                outcomes[status] = outcomes.GetValueOrDefault(status) + 1;
                if (status >= 500) serverErrors.Add($"{status} {body.Name}");
                else if (status < 400) serverErrors.Add($"{status} (accepted!) {body.Name}");
            }
        }
        var after = await RowCountsAsync();
        output.WriteLine($"{total} bodies; statuses: {string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}×{o.Value}"))}; 5xx: {serverErrors.Count(e => e[0] == '5')}");
        foreach (var e in serverErrors.Take(40)) output.WriteLine(e);
        Assert.Empty(serverErrors);
        Assert.Equal(before, after);

        // The valid bodies the hostile ones were made from are accepted, so the refusals above were about the hostile values.
        foreach (var (path, user, _, valid) in endpoints.Where(e => e.User is not null))
        {
            using var client = await ApiAs(user!);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(valid.Bytes) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            using var response = await client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Created, $"{path}: the valid body got {(int)response.StatusCode}");
        }
    }

    private async Task<int> SouthSiteOfDay1Async()
    {
        await using var db = await Db();
        var group = await db.TouringGroups.Where(g => g.Code == "south").Select(g => g.Id).SingleAsync();
        var day = DateOnly.Parse(Day1, CultureInfo.InvariantCulture);
        return await db.Sites.Where(s => s.TouringGroupId == group && s.Day == day).OrderBy(s => s.RouteOrder).Select(s => s.Id).FirstAsync();
    }

    /// <summary>Rows in every table but the audit (refusals are audited, which is the point) and EF's history.</summary>
    private async Task<string> RowCountsAsync()
    {
        await using var connection = new SqliteConnection(Host.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT IN ('AuditEvents', '__EFMigrationsHistory') ORDER BY name";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync()) tables.Add(reader.GetString(0));
        }
        var counts = new StringBuilder();
        foreach (var table in tables)
        {
            await using var count = connection.CreateCommand();
            count.CommandText = $"SELECT count(*) FROM \"{table}\"";
            counts.Append(CultureInfo.InvariantCulture, $"{table}={await count.ExecuteScalarAsync()} ");
        }
        return counts.ToString();
    }
}
