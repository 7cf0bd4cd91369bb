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
    private readonly LiveBoardHost _host = new(settings: new() { ["LiveBoard:Backup:IntervalMinutes"] = "0" });
    private Uri _root = default!;
    private JsonElement _document;

    // Endpoints under /api/v1 that the document lists without their bodies yet (named here so that a new endpoint
    // cannot slip into the API undocumented: it fails below until described or listed).
    private static readonly string[] NotYetDescribed =
    [
        "POST /api/v1/displays", "PUT /api/v1/displays/{slug}/mode", "GET /api/v1/sites", "POST /api/v1/sites", "PUT /api/v1/sites/{id}", "DELETE /api/v1/sites/{id}",
        "POST /api/v1/sites/{id}/visit", "POST /api/v1/sites/{id}/close-scoring", "GET /api/v1/sites/{id}/scores", "GET /api/v1/sites/export",
        "POST /api/v1/sites/import", "POST /api/v1/scores", "GET /api/v1/grades", "PUT /api/v1/grades", "GET /api/v1/inspection/settings",
        "PUT /api/v1/inspection/settings", "GET /api/v1/inspection/me", "POST /api/v1/rankings/publish", "GET /api/v1/rankings/published",
        "GET /api/v1/rankings/published/{id}", "GET /api/v1/meeting/{day}/bulletin.xlsx",
        "GET /api/v1/campaigns", "POST /api/v1/campaigns", "GET /api/v1/campaigns/{id}/export", "POST /api/v1/campaigns/{id}/activate",
        "POST /api/v1/campaigns/{id}/weights", "GET /api/v1/campaigns/{id}/export.xlsx",
    ];

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
        var described = ApiDocumentation.Described.Select(d => $"{d.Split(' ')[0]} /{d.Split(' ')[1]}").ToHashSet();
        Assert.Equal(operations.Order(), described.Concat(NotYetDescribed).Order());
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

        async Task Check(string method, string path, string? token, object? body, HttpStatusCode expected, string? idempotencyKey = null, string? raw = null)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path.TrimStart('/'));
            if (raw is not null) request.Content = new StringContent(raw, Encoding.UTF8, "application/json");
            else if (body is not null) request.Content = JsonContent.Create(body);
            if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
            using var response = await anonymous.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
            var documented = _document.GetProperty("paths").GetProperty(path.Split('?')[0]).GetProperty(method.ToLowerInvariant())
                .GetProperty("responses");
            Assert.True(documented.TryGetProperty(((int)expected).ToString(System.Globalization.CultureInfo.InvariantCulture), out var answer),
                $"{method} {path}: {(int)expected} is not in the document");
            if (text.Length == 0)
            {
                // No body: the document shows none, or says when there is none (a 403 from the role check, before the endpoint runs).
                Assert.True(!answer.TryGetProperty("content", out _) || answer.GetProperty("description").GetString()!.Contains("without a body", StringComparison.Ordinal),
                    $"{method} {path}: the document promises a body for {(int)expected}");
            }
            else
            {
                var mediaType = response.Content.Headers.ContentType!.MediaType!;
                var schema = answer.GetProperty("content").GetProperty(mediaType).GetProperty("schema");
                var errors = new List<string>();
                SchemaCheck.Validate(JsonDocument.Parse(text).RootElement, schema, _document, "$", errors);
                Assert.True(errors.Count == 0, $"{method} {path} {(int)expected}:\n{string.Join("\n", errors)}\n{text}\nschema: {schema}");
            }
            checkedAnswers.Add($"{method} {path} {(int)expected}");
        }

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

        // Every described operation was called, and answered its documented success.
        foreach (var operation in ApiDocumentation.Described)
            Assert.Contains(checkedAnswers, a => a.StartsWith($"{operation.Split(' ')[0]} /{operation.Split(' ')[1]}", StringComparison.Ordinal) && a[^3] == '2');
        output.WriteLine(string.Join("\n", checkedAnswers));
    }

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
        if (value.ValueKind == JsonValueKind.Object)
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
