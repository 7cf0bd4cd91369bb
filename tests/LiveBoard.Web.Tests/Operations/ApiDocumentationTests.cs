using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using LiveBoard.Testing;
using LiveBoard.Web.Operations.ApiDocs;
using Xunit.Abstractions;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>
/// The OpenAPI document of the running app, and real answers of the push API checked against its schemas: a field the
/// API sends that the document does not name, or one it names that the API does not send, fails.
/// </summary>
public sealed class ApiDocumentationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly LiveBoardHost _host = new(settings: new() { ["LiveBoard:Backup:IntervalMinutes"] = "0", ["LiveBoard:CampaignToday"] = Day1 });
    private const string Day1 = "2023-07-29";
    private Uri _root = default!;
    private JsonElement _document;

    public async Task InitializeAsync()
    {
        _root = _host.Start();
        using var http = new HttpClient { BaseAddress = _root };
        var response = await http.GetAsync(ApiDocumentation.DocumentPath.TrimStart('/'));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        _document = await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public void The_document_names_the_bearer_scheme_the_idempotency_key_problem_json_and_campaign_examples()
    {
        Assert.Equal("bearer", _document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
        var report = _document.GetProperty("paths").GetProperty("/api/v1/reports").GetProperty("post");
        Assert.Contains(report.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key" && p.GetProperty("in").GetString() == "header");
        Assert.Equal("Bearer", report.GetProperty("security")[0].EnumerateObject().Single().Name);
        Assert.Equal("hure", report.GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("example").GetProperty("district").GetString());
        Assert.True(report.GetProperty("responses").GetProperty("409").GetProperty("content").TryGetProperty("application/problem+json", out _));
        Assert.False(_document.GetProperty("paths").GetProperty("/api/v1/auth/token").GetProperty("post").TryGetProperty("security", out _));

        var operations = _document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(m => $"{m.Name.ToUpperInvariant()} {p.Name}")).ToList();
        Assert.All(operations, o => Assert.StartsWith("/api/v1/", o.Split(' ')[1], StringComparison.Ordinal));
        // Every operation is described: a new endpoint cannot slip into the API without its schemas.
        var described = ApiDocumentation.Described.Select(d => $"{d.Split(' ')[0]} /{d.Split(' ')[1]}").ToHashSet();
        Assert.Equal(operations.Order(), described.Order());
        foreach (var operation in _document.GetProperty("paths").EnumerateObject().SelectMany(p => p.Value.EnumerateObject().Select(m => (Name: $"{m.Name} {p.Name}", m.Value))))
        {
            Assert.True(operation.Value.GetProperty("summary").GetString() is { Length: > 0 }, $"{operation.Name}: no summary");
            // In one of the document's sections (reporting, inspection, publications, campaigns, wall displays), each described.
            var section = Assert.Single(operation.Value.GetProperty("tags").EnumerateArray()).GetString();
            Assert.Contains(_document.GetProperty("tags").EnumerateArray(), t => t.GetProperty("name").GetString() == section && t.GetProperty("description").GetString()!.Length > 0);
            var responses = operation.Value.GetProperty("responses").EnumerateObject().ToList();
            var success = Assert.Single(responses, r => r.Name[0] == '2');
            Assert.True(success.Name == "204" || success.Value.TryGetProperty("content", out _), $"{operation.Name}: {success.Name} without a schema");
            Assert.Contains(responses, r => r.Name == "401");
            // A request example names only fields the schema has, with their types (optional ones may be left out).
            if (operation.Value.TryGetProperty("requestBody", out var requestBody)
                && requestBody.GetProperty("content").TryGetProperty("application/json", out var json) && json.TryGetProperty("example", out var example))
            {
                var errors = new List<string>();
                SchemaCheck.Validate(example, json.GetProperty("schema"), _document, "$", errors);
                Assert.Empty(errors.Where(e => !e.EndsWith("missing from the answer", StringComparison.Ordinal)).Select(e => $"{operation.Name} example: {e}"));
            }
            Assert.All(responses.Where(r => r.Value.TryGetProperty("content", out _)), r =>
                Assert.All(r.Value.GetProperty("content").EnumerateObject(), m => Assert.True(m.Value.TryGetProperty("schema", out _), $"{operation.Name} {r.Name}: no schema")));
        }
    }

    [Fact]
    public async Task The_interactive_reference_at_api_docs_loads_the_document_and_its_script_from_this_server()
    {
        using var http = new HttpClient { BaseAddress = _root };
        var page = await http.GetStringAsync(ApiDocumentation.ReferencePath.TrimStart('/'));
        output.WriteLine(page);
        Assert.Contains(ApiDocumentation.DocumentPath.TrimStart('/'), page);
        Assert.Contains("<script src=\"scalar.js\">", page);
        Assert.DoesNotContain("cdn.", page, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void The_schema_check_fails_an_answer_with_a_field_too_many_or_too_few()
    {
        var receipt = _document.GetProperty("paths").GetProperty("/api/v1/reports").GetProperty("post").GetProperty("responses")
            .GetProperty("201").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        const string good = """{"requestId":"r1","district":"hure","at":"2023-07-30T10:00:00+08:00","author":"reporter-hure","values":[{"indicator":"signed-projects","oldValue":15,"value":18,"version":2,"changed":true,"implausible":false}]}""";
        var errors = new List<string>();
        SchemaCheck.Validate(JsonDocument.Parse(good).RootElement, receipt, _document, "$", errors);
        Assert.Empty(errors);
        SchemaCheck.Validate(JsonDocument.Parse(good.Replace("\"author\"", "\"user\"", StringComparison.Ordinal)).RootElement, receipt, _document, "$", errors);
        Assert.Equal(["$.user: not in the document", "$.author: in the document, missing from the answer"], errors);
        errors.Clear();
        SchemaCheck.Validate(JsonDocument.Parse(good.Replace("\"version\":2", "\"version\":\"two\"", StringComparison.Ordinal)).RootElement, receipt, _document, "$", errors);
        Assert.Single(errors);
    }

    [Fact]
    public async Task Real_answers_of_the_push_API_match_the_documents_schemas()
    {
        using var anonymous = new HttpClient { BaseAddress = _root };
        var organiser = await TokenAsync(anonymous, "organiser");
        var reporter = await TokenAsync(anonymous, "reporter-hure");
        var leader = await TokenAsync(anonymous, "leader");
        var checkedAnswers = new List<string>();

        var paths = _document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();

        // Sends one request and checks the answer against the document: its status is documented, and its body matches that
        // status's schema (JSON field by field; a workbook is a zip). Returns the body.
        async Task<byte[]> Check(string method, string path, string? token, object? body, HttpStatusCode expected, string? idempotencyKey = null,
            string? raw = null, byte[]? upload = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
            if (raw is not null) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
            else if (upload is not null) request.Content = new ByteArrayContent(upload) { Headers = { ContentType = new MediaTypeHeaderValue(ApiDocumentation.XlsxType) } };
            else if (body is not null) request.Content = JsonContent.Create(body);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await anonymous.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            var text = Encoding.UTF8.GetString(bytes);
            Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            // A literal path before a template it also matches (/sites/export, not /sites/{id}).
            var template = paths.Where(p => System.Text.RegularExpressions.Regex.IsMatch(path.Split('?')[0],
                    "^" + System.Text.RegularExpressions.Regex.Replace(System.Text.RegularExpressions.Regex.Escape(p), @"\\\{[^}]+}", "[^/]+") + "$"))
                .OrderBy(p => p.Count(c => c == '{')).First();
            var documented = _document.GetProperty("paths").GetProperty(template).GetProperty(method.ToLowerInvariant())
                .GetProperty("responses");
            Assert.True(documented.TryGetProperty(((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), out var answer),
                $"{method} {path}: {(int)expected} is not in the document");
            if (bytes.Length == 0)
            {
                // No body: the document shows none, or says when there is none (a 403 from the role check, before the endpoint runs).
                Assert.True(!answer.TryGetProperty("content", out _) || answer.GetProperty("description").GetString()!.Contains("without a body", StringComparison.Ordinal),
                    $"{method} {path}: the document promises a body for {(int)expected}");
            }
            else
            {
                var mediaType = response.Content.Headers.ContentType!.MediaType!;
                Assert.True(answer.GetProperty("content").TryGetProperty(mediaType, out var content), $"{method} {path} {(int)expected}: {mediaType} is not in the document");
                var schema = content.GetProperty("schema");
                if (mediaType == ApiDocumentation.XlsxType)
                {
                    Assert.Equal("binary", schema.GetProperty("format").GetString());
                    Assert.Equal("PK"u8.ToArray(), bytes[..2]);
                }
                else
                {
                    var errors = new List<string>();
                    SchemaCheck.Validate(JsonDocument.Parse(text).RootElement, schema, _document, "$", errors);
                    Assert.True(errors.Count == 0, $"{method} {path} {(int)expected}:\n{string.Join("\n", errors)}\n{text}\nschema: {schema}");
                }
            }
            checkedAnswers.Add($"{method} {template} {(int)expected}");
            return bytes;
        }
        async Task<JsonElement> CheckJson(string method, string path, string? token, object? body, HttpStatusCode expected, string? idempotencyKey = null, string? raw = null) =>
            JsonDocument.Parse(await Check(method, path, token, body, expected, idempotencyKey, raw)).RootElement;

        await Check("POST", "/api/v1/auth/token", null, new { username = "reporter-hure", password = "Tongliao2023" }, HttpStatusCode.OK);
        await Check("POST", "/api/v1/auth/token", null, new { username = "reporter-hure", password = "wrong-password-1" }, HttpStatusCode.Unauthorized);
        await Check("POST", "/api/v1/auth/token", null, new { username = "reporter-hure" }, HttpStatusCode.BadRequest);
        await Check("GET", "/api/v1/campaigns/current", reporter, null, HttpStatusCode.OK);
        await Check("GET", "/api/v1/campaigns/current", null, null, HttpStatusCode.Unauthorized);
        var report = new { district = "hure", values = new[] { new { indicator = "signed-projects", value = 18m, expectedVersion = (int?)null, reason = "核实补报" } } };
        await Check("POST", "/api/v1/reports", reporter, report, HttpStatusCode.Created, "hure-doc-1");
        await Check("POST", "/api/v1/reports", reporter, report, HttpStatusCode.Created, "hure-doc-1");
        await Check("POST", "/api/v1/reports", reporter, new { district = "hure", values = new[] { new { indicator = "signed-projects", value = 19m, expectedVersion = (int?)null, reason = "核实补报" } } },
            HttpStatusCode.UnprocessableEntity, "hure-doc-1");
        await Check("POST", "/api/v1/reports", reporter, new { district = "hure", values = new[] { new { indicator = "signed-projects", value = 20m, expectedVersion = (int?)1, reason = "更正" } } },
            HttpStatusCode.Conflict, "hure-doc-2");
        await Check("POST", "/api/v1/reports", reporter, new { district = "hure", values = "many" }, HttpStatusCode.BadRequest, "hure-doc-3");
        await Check("POST", "/api/v1/reports", reporter, new { district = "kailu", values = report.values }, HttpStatusCode.Forbidden, "kailu-doc-1");
        await Check("POST", "/api/v1/reports", leader, report, HttpStatusCode.Forbidden, "leader-doc-1");
        await Check("POST", "/api/v1/reports", null, report, HttpStatusCode.Unauthorized, "anon-doc-1");
        await Check("POST", "/api/v1/reports", reporter, null, HttpStatusCode.RequestEntityTooLarge, "hure-doc-4",
            raw: "{\"district\":\"hure\",\"values\":[],\"pad\":\"" + new string('x', 70_000) + "\"}");
        await Check("GET", "/api/v1/figures", leader, null, HttpStatusCode.OK);
        await Check("GET", "/api/v1/figures?district=hure", organiser, null, HttpStatusCode.OK);
        await Check("GET", "/api/v1/figures", reporter, null, HttpStatusCode.Forbidden);
        await Check("GET", "/api/v1/rankings", leader, null, HttpStatusCode.OK);
        await Check("GET", "/api/v1/rankings", null, null, HttpStatusCode.Unauthorized);

        await InspectionWeekAsync(CheckJson, Check, organiser, leader, await TokenAsync(anonymous, "observer-south-1"));
        await CampaignsAndScreensAsync(CheckJson, Check, organiser, leader);

        // Every described operation was called, and answered its documented success.
        foreach (var operation in ApiDocumentation.Described)
            Assert.Contains(checkedAnswers, a => a.StartsWith($"{operation.Split(' ')[0]} /{operation.Split(' ')[1]} 2", StringComparison.OrdinalIgnoreCase));
        output.WriteLine(string.Join("\n", checkedAnswers));
    }

    private delegate Task<byte[]> Call(string method, string path, string? token, object? body, HttpStatusCode expected, string? idempotencyKey = null,
        string? raw = null, byte[]? upload = null);

    private delegate Task<JsonElement> CallJson(string method, string path, string? token, object? body, HttpStatusCode expected, string? idempotencyKey = null,
        string? raw = null);

    /// <summary>The itinerary, a visit, a score sheet, a closure, grades and the scoring scheme, as an organiser and an observer of the South line use them.</summary>
    private static async Task InspectionWeekAsync(CallJson json, Call call, string organiser, string leader, string observer)
    {
        var south = await json("GET", $"/api/v1/sites?day={Day1}&group=south", observer, null, HttpStatusCode.OK);
        var site = south[0].GetProperty("id").GetInt32();
        var north = (await json("GET", $"/api/v1/sites?day={Day1}&group=north", organiser, null, HttpStatusCode.OK))[0].GetProperty("id").GetInt32();
        await json("GET", "/api/v1/sites?day=29.7.2023", observer, null, HttpStatusCode.BadRequest);
        await call("GET", "/api/v1/sites", null, null, HttpStatusCode.Unauthorized);
        await json("GET", "/api/v1/inspection/me", observer, null, HttpStatusCode.OK);

        var visited = await json("POST", $"/api/v1/sites/{site}/visit", observer, new { kind = "Visited", kilometres = 42.5 }, HttpStatusCode.OK);
        Assert.True(visited.GetProperty("visited").GetBoolean());
        await json("POST", $"/api/v1/sites/{site}/visit", observer, new { kind = "flew-over" }, HttpStatusCode.BadRequest);
        await json("POST", $"/api/v1/sites/{north}/visit", observer, null, HttpStatusCode.Forbidden);
        await json("POST", "/api/v1/sites/99999/visit", observer, null, HttpStatusCode.NotFound);

        var sheet = new { site, structure = 22, efficiency = 20.5, service = 23, results = 21, gaps = "用地手续尚未办结", highlights = "当年签约当年开工" };
        await json("POST", "/api/v1/scores", observer, sheet, HttpStatusCode.Created, "south-1-doc-1");
        await json("POST", "/api/v1/scores", observer, sheet with { structure = 99 }, HttpStatusCode.BadRequest, "south-1-doc-2");
        await json("POST", "/api/v1/scores", observer, sheet with { site = north }, HttpStatusCode.Forbidden, "south-1-doc-3");
        await json("POST", "/api/v1/scores", observer, sheet with { results = 20 }, HttpStatusCode.UnprocessableEntity, "south-1-doc-1");
        await call("POST", "/api/v1/scores", leader, sheet, HttpStatusCode.Forbidden, "leader-doc-1");
        Assert.Equal(1, (await json("GET", $"/api/v1/sites/{site}/scores", leader, null, HttpStatusCode.OK)).GetProperty("observers").GetInt32());
        await json("GET", "/api/v1/sites/99999/scores", leader, null, HttpStatusCode.NotFound);
        await call("POST", $"/api/v1/sites/{site}/close-scoring", organiser, null, HttpStatusCode.NoContent);
        await json("POST", "/api/v1/sites/99999/close-scoring", organiser, null, HttpStatusCode.NotFound);
        await json("POST", "/api/v1/scores", observer, sheet with { results = 20 }, HttpStatusCode.Conflict, "south-1-doc-4");

        var added = new
        {
            district = "horqin", group = "south", day = "2023-07-31", order = 9, name = "科尔沁风电装备产业园", nameEn = "Horqin wind equipment park",
            plannedInvestment = 12.5, completedInvestment = 3.2, status = "Started", description = "新签约项目",
        };
        Assert.Equal(1, (await json("POST", "/api/v1/sites", organiser, added, HttpStatusCode.Created)).GetProperty("changed").GetInt32());
        await json("POST", "/api/v1/sites", organiser, added with { district = "nowhere" }, HttpStatusCode.BadRequest);
        var id = (await json("GET", "/api/v1/sites?day=2023-07-31&group=south", organiser, null, HttpStatusCode.OK)).EnumerateArray()
            .Single(s => s.GetProperty("order").GetInt32() == 9).GetProperty("id").GetInt32();
        await json("PUT", $"/api/v1/sites/{id}", organiser, added with { completedInvestment = 4.0 }, HttpStatusCode.OK);
        await call("DELETE", $"/api/v1/sites/{id}", organiser, null, HttpStatusCode.NoContent);
        await json("DELETE", $"/api/v1/sites/{site}", organiser, null, HttpStatusCode.Conflict);
        await json("DELETE", $"/api/v1/sites/{id}", organiser, null, HttpStatusCode.NotFound);
        var workbook = await call("GET", "/api/v1/sites/export", organiser, null, HttpStatusCode.OK);
        Assert.Equal(0, (await JsonOf(call("POST", "/api/v1/sites/import", organiser, null, HttpStatusCode.OK, upload: workbook))).GetProperty("changed").GetInt32());
        await call("POST", "/api/v1/sites/import", organiser, null, HttpStatusCode.BadRequest, upload: "PK-not-a-workbook"u8.ToArray());

        var grade = new { district = "kailu", indicator = "be-credit", quarter = "2023Q2", grade = "较好", remark = "省营商环境评价" };
        await json("PUT", "/api/v1/grades", organiser, grade, HttpStatusCode.OK);
        await json("PUT", "/api/v1/grades", organiser, grade with { grade = "优秀" }, HttpStatusCode.BadRequest);
        await call("PUT", "/api/v1/grades", leader, grade, HttpStatusCode.Forbidden);
        Assert.Equal("较好", (await json("GET", "/api/v1/grades?quarter=2023Q2", leader, null, HttpStatusCode.OK)).GetProperty("grades")[0].GetProperty("grade").GetString());

        var settings = (await json("GET", "/api/v1/inspection/settings", leader, null, HttpStatusCode.OK)).GetRawText();
        await json("PUT", "/api/v1/inspection/settings", organiser, null, HttpStatusCode.OK, raw: settings);
        await json("PUT", "/api/v1/inspection/settings", organiser, null, HttpStatusCode.BadRequest,
            raw: System.Text.RegularExpressions.Regex.Replace(settings, "\"trimThreshold\":\\d+", "\"trimThreshold\":1"));
    }

    /// <summary>A publication and its bulletin, a campaign copied, reweighted and activated, a wall display set up and switched to the meeting.</summary>
    private static async Task CampaignsAndScreensAsync(CallJson json, Call call, string organiser, string leader)
    {
        var published = await json("POST", "/api/v1/rankings/publish", organiser, new { day = Day1, note = "7月29日晚点评会通报" }, HttpStatusCode.Created, "publish-doc-1");
        await json("POST", "/api/v1/rankings/publish", organiser, new { day = Day1, note = "7月29日晚点评会通报" }, HttpStatusCode.Created, "publish-doc-1");
        await json("POST", "/api/v1/rankings/publish", organiser, new { day = "29.7." }, HttpStatusCode.BadRequest);
        await json("GET", "/api/v1/rankings/published", leader, null, HttpStatusCode.OK);
        await json("GET", $"/api/v1/rankings/published/{published.GetProperty("id").GetInt32()}", leader, null, HttpStatusCode.OK);
        await json("GET", "/api/v1/rankings/published/99999", leader, null, HttpStatusCode.NotFound);
        await call("GET", $"/api/v1/meeting/{Day1}/bulletin.xlsx", leader, null, HttpStatusCode.OK);
        await call("GET", "/api/v1/meeting/someday/bulletin.xlsx", leader, null, HttpStatusCode.NotFound);

        var current = (await json("GET", "/api/v1/campaigns", organiser, null, HttpStatusCode.OK)).EnumerateArray().Single().GetProperty("id").GetInt32();
        var file = System.Text.Json.Nodes.JsonNode.Parse(await call("GET", $"/api/v1/campaigns/{current}/export", organiser, null, HttpStatusCode.OK))!;
        await call("GET", $"/api/v1/campaigns/{current}/export.xlsx", organiser, null, HttpStatusCode.OK);
        await call("GET", "/api/v1/campaigns/99999/export", organiser, null, HttpStatusCode.NotFound);
        await call("GET", "/api/v1/campaigns/99999/export.xlsx", organiser, null, HttpStatusCode.NotFound);
        file["code"] = "tongliao-2023h2";
        var draft = (await json("POST", "/api/v1/campaigns", organiser, null, HttpStatusCode.Created, raw: file.ToJsonString())).GetProperty("id").GetInt32();
        await json("POST", "/api/v1/campaigns", organiser, null, HttpStatusCode.BadRequest, raw: "{\"code\":1}");
        var weights = new Dictionary<string, object> { ["reason"] = "市委常委会调整权重", ["indicators"] = new Dictionary<string, object> { ["signed-projects"] = new { weight = 20, target = 300 } } };
        await json("POST", $"/api/v1/campaigns/{current}/weights", organiser, weights, HttpStatusCode.OK);
        await json("POST", $"/api/v1/campaigns/{current}/weights", organiser, new { indicators = weights["indicators"] }, HttpStatusCode.BadRequest);
        await json("POST", $"/api/v1/campaigns/{draft}/weights", organiser, weights, HttpStatusCode.BadRequest);
        await json("POST", "/api/v1/campaigns/99999/weights", organiser, weights, HttpStatusCode.NotFound);
        await json("POST", $"/api/v1/campaigns/{current}/activate", organiser, null, HttpStatusCode.OK);
        await json("POST", "/api/v1/campaigns/99999/activate", organiser, null, HttpStatusCode.NotFound);
        await call("GET", "/api/v1/campaigns", leader, null, HttpStatusCode.Forbidden);

        await json("POST", "/api/v1/displays", organiser, new { name = "市政府大厅", slug = "city-hall", intervalSeconds = 20, theme = "dark" }, HttpStatusCode.Created);
        await json("POST", "/api/v1/displays", organiser, new { name = "", theme = "neon" }, HttpStatusCode.BadRequest);
        await call("POST", "/api/v1/displays", leader, new { name = "市政府大厅" }, HttpStatusCode.Forbidden);
        Assert.Equal("meeting", (await json("PUT", "/api/v1/displays/city-hall/mode", organiser, new { mode = "meeting", day = Day1 }, HttpStatusCode.OK)).GetProperty("mode").GetString());
        await json("PUT", "/api/v1/displays/city-hall/mode", organiser, new { mode = "playlist" }, HttpStatusCode.OK);
        await json("PUT", "/api/v1/displays/city-hall/mode", organiser, new { mode = "disco" }, HttpStatusCode.BadRequest);
        await json("PUT", "/api/v1/displays/nowhere/mode", organiser, new { mode = "playlist" }, HttpStatusCode.NotFound);
    }

    private static async Task<JsonElement> JsonOf(Task<byte[]> body) => JsonDocument.Parse(await body).RootElement;

    private static async Task<string> TokenAsync(HttpClient http, string user)
    {
        var response = await http.PostAsJsonAsync("api/v1/auth/token", new { username = user, password = "Tongliao2023" });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }
}

/// <summary>
/// The part of JSON Schema (2020-12, as OpenAPI 3.1 uses it) that the document's schemas use: $ref, type (and type
/// lists), properties, items, additionalProperties, oneOf/anyOf, pattern. Objects are checked both ways: a property the answer
/// has and the schema lacks fails (problem details excepted: RFC 9457 allows extensions), and so does a property the
/// schema names that the answer lacks, unless it may be null.
/// </summary>
internal static class SchemaCheck
{
    public static void Validate(JsonElement value, JsonElement schema, JsonElement document, string at, List<string> errors)
    {
        var extensible = false;
        while (schema.TryGetProperty("$ref", out var reference))
        {
            var name = reference.GetString()!.Split('/')[^1];
            extensible |= name.EndsWith("Problem", StringComparison.Ordinal);
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(name);
        }
        // A problem's schema may also come inline (not by $ref): known by its shape.
        extensible |= schema.TryGetProperty("properties", out var shape) && shape.ValueKind == JsonValueKind.Object
            && shape.TryGetProperty("title", out _) && shape.TryGetProperty("status", out _) && shape.TryGetProperty("traceId", out _);
        foreach (var combinator in new[] { "oneOf", "anyOf" })
            if (schema.TryGetProperty(combinator, out var options))
            {
                var any = options.EnumerateArray().Any(option =>
                {
                    var inner = new List<string>();
                    Validate(value, option, document, at, inner);
                    return inner.Count == 0;
                });
                if (!any) errors.Add($"{at}: matches none of {combinator}");
                return;
            }
        if (schema.TryGetProperty("type", out var type))
        {
            var types = type.ValueKind == JsonValueKind.Array ? type.EnumerateArray().Select(t => t.GetString()!).ToList() : [type.GetString()!];
            if (!types.Any(t => Is(value, t))) errors.Add($"{at}: {value.ValueKind} is not {string.Join("|", types)}");
        }
        if (value.ValueKind == JsonValueKind.String && schema.TryGetProperty("pattern", out var pattern)
            && !System.Text.RegularExpressions.Regex.IsMatch(value.GetString()!, pattern.GetString()!))
            errors.Add($"{at}: \"{value.GetString()}\" does not match {pattern.GetString()}");
        // An object schema naming no properties and no additionalProperties (an empty schema, {}) takes any members.
        if (value.ValueKind == JsonValueKind.Object && (schema.TryGetProperty("properties", out _) || schema.TryGetProperty("additionalProperties", out _)))
        {
            schema.TryGetProperty("properties", out var properties);
            var named = properties.ValueKind == JsonValueKind.Object ? properties.EnumerateObject().ToDictionary(p => p.Name, p => p.Value) : [];
            var hasAdditional = schema.TryGetProperty("additionalProperties", out var additional) && additional.ValueKind == JsonValueKind.Object;
            foreach (var property in value.EnumerateObject())
            {
                if (named.TryGetValue(property.Name, out var propertySchema)) Validate(property.Value, propertySchema, document, $"{at}.{property.Name}", errors);
                else if (hasAdditional) Validate(property.Value, additional, document, $"{at}.{property.Name}", errors);
                else if (!extensible) errors.Add($"{at}.{property.Name}: not in the document");
            }
            foreach (var (name, propertySchema) in named)
                if (!value.TryGetProperty(name, out _) && !MayBeNull(propertySchema, document))
                    errors.Add($"{at}.{name}: in the document, missing from the answer");
        }
        if (value.ValueKind == JsonValueKind.Array && schema.TryGetProperty("items", out var items))
        {
            var i = 0;
            foreach (var item in value.EnumerateArray()) Validate(item, items, document, $"{at}[{i++}]", errors);
        }
    }

    private static bool MayBeNull(JsonElement schema, JsonElement document)
    {
        var errors = new List<string>();
        Validate(JsonDocument.Parse("null").RootElement, schema, document, "", errors);
        return errors.Count == 0;
    }

    private static bool Is(JsonElement value, string type) => type switch
    {
        "null" => value.ValueKind == JsonValueKind.Null,
        "string" => value.ValueKind == JsonValueKind.String,
        "boolean" => value.ValueKind is JsonValueKind.True or JsonValueKind.False,
        "integer" => value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out _),
        "number" => value.ValueKind == JsonValueKind.Number,
        "object" => value.ValueKind == JsonValueKind.Object,
        "array" => value.ValueKind == JsonValueKind.Array,
        _ => false,
    };
}
