using System.Net;
using System.Text;
using LiveBoard.Testing;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>Hundreds of malformed reports at the push API: every one is the caller's fault (4xx), none writes a row.</summary>
public sealed class BadInputTests
{
    private static readonly string[] Indicators = ["signed-projects", "signed-investment", "started-projects", "fai-growth", "funds-in-place"];

    /// <summary>(name, raw body, idempotency key or null for none).</summary>
    public static IEnumerable<(string Name, string Body, string? Key)> Payloads()
    {
        string Values(string district, string valuesJson) => $"{{\"district\":{district},\"values\":{valuesJson}}}";
        string One(string indicator, string value, string extra = "") => $"[{{\"indicator\":{indicator},\"value\":{value}{extra}}}]";

        // Wrong types and impossible numbers, for every indicator.
        string[] badValues = ["\"12\"", "true", "null", "[]", "{}", "\"NaN\"", "NaN", "Infinity", "-Infinity", "1e400", "-1e400",
            "99999999999999999999999999999999", "1e30", "-1000000001", "1000000001", "1.0000000000000000000000000001e10", "0x10", "01", ".5", "1,5"];
        foreach (var i in Indicators)
            foreach (var v in badValues)
                yield return ($"{i} value {v}", Values("\"hure\"", One($"\"{i}\"", v, ",\"reason\":\"r\"")), Guid.NewGuid().ToString());

        // Negative and fractional counts, negative money, too many decimals.
        foreach (var v in new[] { "-1", "-0.5", "-100", "1.5", "0.001", "-0.0001" })
        {
            yield return ($"signed-projects {v}", Values("\"hure\"", One("\"signed-projects\"", v, ",\"reason\":\"r\"")), Guid.NewGuid().ToString());
            yield return ($"started-projects {v}", Values("\"hure\"", One("\"started-projects\"", v, ",\"reason\":\"r\"")), Guid.NewGuid().ToString());
        }
        foreach (var v in new[] { "-1", "-0.01", "1.23456", "3.14159265" })
            yield return ($"funds-in-place {v}", Values("\"hure\"", One("\"funds-in-place\"", v, ",\"reason\":\"r\"")), Guid.NewGuid().ToString());

        // Unknown or malformed codes.
        foreach (var d in new[] { "\"nowhere\"", "\"\"", "123", "null", "[\"hure\"]", "{}", "\"HURE\"", $"\"{new string('x', 1000)}\"", "\"hure\\u0000\"" })
            yield return ($"district {d[..Math.Min(d.Length, 20)]}", Values(d, One("\"signed-projects\"", "16", ",\"reason\":\"r\"")), Guid.NewGuid().ToString());
        foreach (var i in new[] { "\"nothing\"", "\"\"", "42", "null", "[]", "\"be-credit\"", $"\"{new string('y', 500)}\"", "\"signed-projects \"" })
            yield return ($"indicator {i[..Math.Min(i.Length, 20)]}", Values("\"hure\"", One(i, "16", ",\"reason\":\"r\"")), Guid.NewGuid().ToString());

        // Versions that are not versions, and a stale one (a conflict is a 409: also 4xx and nothing written).
        foreach (var ev in new[] { "\"1\"", "-1", "1.5", "1e20", "true", "[]", "0" })
            yield return ($"expectedVersion {ev}", Values("\"hure\"", One("\"signed-projects\"", "16", $",\"expectedVersion\":{ev},\"reason\":\"r\"")), Guid.NewGuid().ToString());

        // Reasons: markup, control characters, wrong types, too long; and a change with no reason at all.
        string[] reasons = ["\"<script>alert(1)</script>\"", "\"<img src=x onerror=alert(1)>\"", "\"核实</td><td>\"", "\"a\\u0007b\"", "\"a\\u001bb\"",
            "5", "[]", "{}", "true", $"\"{new string('长', 501)}\"", "\"javascript:<b>x</b>\""];
        foreach (var i in Indicators)
            foreach (var r in reasons)
                yield return ($"{i} reason {r[..Math.Min(r.Length, 20)]}", Values("\"hure\"", One($"\"{i}\"", "77", $",\"reason\":{r}")), Guid.NewGuid().ToString());
        yield return ("change without reason", Values("\"hure\"", One("\"signed-projects\"", "17")), Guid.NewGuid().ToString());

        // Broken documents.
        string[] broken = ["", "{", "[", "null", "123", "\"text\"", "[]", "{\"district\":", "{\"district\":\"hure\",}", "{'district':'hure'}",
            "{\"district\":\"hure\",\"values\":[{\"indicator\":\"signed-projects\",\"value\":16,}]}", new string('[', 200) + new string(']', 200),
            "{\"district\":\"hure\",\"values\":null}", "{\"district\":\"hure\",\"values\":{}}", "{\"district\":\"hure\",\"values\":[]}",
            "{\"district\":\"hure\",\"values\":[1,2,3]}", "{\"district\":\"hure\",\"values\":[null]}", "{\"values\":[{\"indicator\":\"signed-projects\",\"value\":16}]}",
            "\u0000\u0001", "<xml/>", "district=hure&value=1"];
        foreach (var b in broken) yield return ($"broken {b[..Math.Min(b.Length, 20)]}", b, Guid.NewGuid().ToString());

        // Too many values, duplicates, another district (403).
        var many = string.Join(",", Enumerable.Range(0, 101).Select(_ => "{\"indicator\":\"signed-projects\",\"value\":16}"));
        yield return ("101 values", Values("\"hure\"", $"[{many}]"), Guid.NewGuid().ToString());
        yield return ("duplicate indicator", Values("\"hure\"", "[{\"indicator\":\"signed-projects\",\"value\":16,\"reason\":\"r\"},{\"indicator\":\"signed-projects\",\"value\":17,\"reason\":\"r\"}]"), Guid.NewGuid().ToString());
        foreach (var other in new[] { "naiman", "horqin", "devzone" })
            yield return ($"other district {other}", Values($"\"{other}\"", One("\"signed-projects\"", "16", ",\"reason\":\"r\"")), Guid.NewGuid().ToString());

        // Oversized bodies: past the 64 KB limit in a reason, in padding, in a megabyte of values.
        yield return ("70 KB reason", Values("\"hure\"", One("\"signed-projects\"", "16", $",\"reason\":\"{new string('a', 70_000)}\"")), Guid.NewGuid().ToString());
        yield return ("1 MB values", Values("\"hure\"", "[" + string.Join(",", Enumerable.Range(0, 25_000).Select(_ => "{\"indicator\":\"x\",\"value\":1}")) + "]"), Guid.NewGuid().ToString());
        yield return ("200 KB whitespace", new string(' ', 200_000) + "{}", Guid.NewGuid().ToString());

        // A valid body with a missing or bad idempotency key.
        var valid = Values("\"hure\"", One("\"signed-projects\"", "18", ",\"reason\":\"r\""));
        yield return ("no key", valid, null);
        yield return ("empty key", valid, "");
        yield return ("key with spaces", valid, "a b");
        yield return ("key 101 chars", valid, new string('k', 101));
    }

    [Fact]
    public async Task Malformed_reports_get_only_4xx_write_nothing_and_the_app_still_serves()
    {
        await using var host = new LiveBoardHost(settings: new() { ["LiveBoard:RateLimits:WritesPerMinute"] = "100000" });
        var root = host.Start();
        using var api = await SignedInClients.ApiAsync(host, root, "reporter-hure");
        var before = await TestData.WritesAsync(host);

        var payloads = Payloads().ToList();
        Assert.True(payloads.Count >= 200, $"only {payloads.Count} payloads");
        var statuses = new Dictionary<int, int>();
        var wrong = new List<string>();
        foreach (var (name, body, key) in payloads)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports")
            {
                Content = new StringContent(body, Encoding.UTF8, "application/json"),
            };
            if (key is not null) request.Headers.TryAddWithoutValidation("Idempotency-Key", key);
            // As a well-behaved client sends a large body: wait for "100 Continue", so the server's early 413
            // arrives as an answer instead of as a connection closed under a half-sent body.
            if (body.Length > 64 * 1024) request.Headers.ExpectContinue = true;
            HttpResponseMessage response;
            try { response = await api.SendAsync(request); }
            catch (HttpRequestException e) { throw new InvalidOperationException($"{name}: {e.Message}", e); }
            using var _ = response;
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;
            if (status is < 400 or >= 500) wrong.Add($"{name}: {status}");
        }

        Assert.Empty(wrong);
        Assert.Equal(before, await TestData.WritesAsync(host));
        // Still serving: the overview renders and a proper report is accepted.
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/")).StatusCode);
        using var ok = new HttpRequestMessage(HttpMethod.Post, "/api/v1/reports")
        {
            Content = new StringContent("{\"district\":\"hure\",\"values\":[{\"indicator\":\"signed-projects\",\"value\":18,\"reason\":\"核实\"}]}", Encoding.UTF8, "application/json"),
            Headers = { { "Idempotency-Key", "after-the-storm" } },
        };
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(ok)).StatusCode);
        // The token endpoint is parsed the same way.
        string[] tokenBodies = ["", "{", "null", "[]", "{\"username\":5,\"password\":5}", "{\"username\":\"leader\"}", "{\"username\":null,\"password\":null}",
            $"{{\"username\":\"{new string('u', 5000)}\",\"password\":\"x\"}}", $"{{\"username\":\"leader\",\"password\":\"{new string('p', 70_000)}\"}}",
            "{\"username\":\"<script>\",\"password\":\"x\"}"];
        using var anonymous = SignedInClients.Anonymous(root);
        foreach (var body in tokenBodies)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/auth/token") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            if (body.Length > 64 * 1024) request.Headers.ExpectContinue = true;
            using var response = await anonymous.SendAsync(request);
            Assert.InRange((int)response.StatusCode, 400, 499);
        }
        Console.WriteLine($"bad-input: {payloads.Count + tokenBodies.Length} payloads, statuses {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
    }
}
