using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using LiveBoard.Testing;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>
/// Every role (and anonymous) × every page and endpoint of the reporting feature, over the running app.
/// Pages use the sign-in cookie; the API accepts bearer tokens only. "login" = 302 to the login page,
/// "denied" = 302 to the access-denied page.
/// </summary>
public sealed class AuthorisationMatrixTests
{
    private const string Anonymous = "anonymous";
    private static readonly string[] Users = [Anonymous, "organiser", "leader", "reporter-hure", "observer-south-1"];

    // The table the lead asked for: expected outcome per user, in the order of Users.
    private static readonly (string Method, string Path, string[] Expected)[] Pages =
    [
        ("GET", "/", ["200", "200", "200", "200", "200"]),
        ("GET", "/account/login", ["200", "200", "200", "200", "200"]),
        ("GET", "/report", ["login", "200", "denied", "200", "denied"]),
        ("GET", "/report?district=naiman", ["login", "200", "denied", "200", "denied"]),
        ("GET", "/import", ["login", "200", "denied", "200", "denied"]),
        ("GET", "/import/template?district=hure", ["login", "200", "denied", "200", "denied"]),
        ("GET", "/import/template?district=naiman", ["login", "200", "denied", "denied", "denied"]),
        ("GET", "/import/template", ["login", "200", "denied", "200", "denied"]),
        ("GET", "/status", ["login", "200", "200", "denied", "denied"]),
        ("GET", "/audit", ["login", "200", "denied", "denied", "denied"]),
        ("GET", "/audit/export", ["login", "200", "denied", "denied", "denied"]),
        ("GET", "/admin/users", ["login", "200", "denied", "denied", "denied"]),
    ];

    private static readonly (string Method, string Path, string[] Expected)[] Api =
    [
        ("GET", "/api/v1/campaigns/current", ["401", "200", "200", "200", "200"]),
        ("POST", "/api/v1/reports hure", ["401", "201", "403", "201", "403"]),
        ("POST", "/api/v1/reports naiman", ["401", "201", "403", "403", "403"]),
        ("GET", "/api/v1/figures", ["401", "200", "200", "403", "403"]),
        ("GET", "/api/v1/rankings", ["401", "200", "200", "403", "403"]),
    ];

    private static string Outcome(HttpResponseMessage response)
    {
        if (response.StatusCode != HttpStatusCode.Redirect) return ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
        var location = response.Headers.Location!.ToString();
        return location.Contains("/account/login") ? "login" : location.Contains("/account/denied") ? "denied" : "302 " + location;
    }

    [Fact]
    public async Task Every_role_gets_the_expected_status_on_every_page_and_endpoint()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        var failures = new List<string>();
        var table = new List<string>();
        for (var u = 0; u < Users.Length; u++)
        {
            var user = Users[u];
            using var web = user == Anonymous ? SignedInClients.Anonymous(root) : await SignedInClients.WebAsync(host, root, user);
            using var api = user == Anonymous ? SignedInClients.Anonymous(root) : await SignedInClients.ApiAsync(host, root, user);
            foreach (var (method, path, expected) in Pages)
            {
                var actual = Outcome(await web.GetAsync(path));
                table.Add($"{user} {method} {path} → {actual}");
                if (actual != expected[u]) failures.Add($"{user} {method} {path}: expected {expected[u]}, got {actual}");
            }
            foreach (var (method, path, expected) in Api)
            {
                HttpResponseMessage response;
                if (method == "GET") response = await api.GetAsync(path);
                else
                {
                    var district = path.Split(' ')[1];
                    // A value no one else writes: each allowed writer changes it once, from whatever it is now.
                    using var request = RunningApp.Report($"matrix-{user}-{district}", district, "started-projects", 30 + u, "矩阵测试");
                    var before = await TestData.FigureAsync(host, district, "started-projects");
                    response = await api.SendAsync(request);
                    var after = await TestData.FigureAsync(host, district, "started-projects");
                    // Refused means nothing changed.
                    if (response.StatusCode != HttpStatusCode.Created && (after.Value, after.Version) != (before.Value, before.Version))
                        failures.Add($"{user} {path}: refused with {(int)response.StatusCode} but the figure changed");
                }
                var actual = Outcome(response);
                table.Add($"{user} {method} {path} → {actual}");
                if (actual != expected[u]) failures.Add($"{user} {method} {path}: expected {expected[u]}, got {actual}");
            }
        }
        // A browser's cookie is not an API credential.
        using var cookieOnly = await SignedInClients.WebAsync(host, root, "organiser");
        if ((await cookieOnly.GetAsync("/api/v1/figures")).StatusCode != HttpStatusCode.Unauthorized) failures.Add("cookie accepted by the API");

        Console.WriteLine(string.Join(Environment.NewLine, table));
        Assert.Empty(failures);
    }
}
