using System.Globalization;
using System.Net;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests.Security;

/// <summary>
/// The authorisation matrix generated from the app's own endpoint list: every mapped page and endpoint × anonymous and
/// every role, over the real app. What each may expect follows from the endpoint's own decision (its policy, or open to
/// all); an endpoint that carries no decision, and is not listed below as public or as judged elsewhere, fails the
/// test, so a page or endpoint added tomorrow without a policy is caught here.
/// </summary>
public sealed class EndpointMatrixTests
{
    private const string Anonymous = "anonymous";
    private static readonly (string User, string? Role)[] Users =
    [
        (Anonymous, null), (DemoAccounts.Organiser, Roles.Organiser), (DemoAccounts.Leader, Roles.Leader), ("reporter-hure", Roles.Reporter),
        ("observer-south-1", Roles.Observer),
    ];

    /// <summary>Who each policy lets in (the roles of Policies.AddLiveBoardPolicies); null: anyone signed in.</summary>
    private static readonly Dictionary<string, string[]?> PolicyRoles = new()
    {
        [Policies.Organiser] = [Roles.Organiser],
        [Policies.Reporting] = [Roles.Reporter, Roles.Organiser],
        [Policies.ReadAll] = [Roles.Leader, Roles.Organiser],
        [Policies.SignedIn] = null,
        [Policies.Itinerary] = [Roles.Observer, Roles.Leader, Roles.Organiser],
        [Policies.Scoring] = [Roles.Observer],
    };

    private static string Key(string method, RouteEndpoint e) =>
        e.RoutePattern.RawText is { } raw && raw.StartsWith('{') ? $"{method} {raw}" : $"{method} /{e.RoutePattern.RawText?.TrimStart('/')}";

    /// <summary>
    /// Endpoints whose rule is not one of the role policies, each with the reason and the test that proves it: public by
    /// design, or opened by something other than a role (a display key, a room key, loopback). Anything else without a
    /// decision fails.
    /// </summary>
    private static readonly Dictionary<string, string> DecidedElsewhere = new()
    {
        ["GET /"] = "public: the live overview leaders open from their phones (OverviewLiveTests)",
        ["GET /Error"] = "public: the production error page",
        ["GET /not-found"] = "public: the not-found page",
        ["GET /culture/{name}"] = "public: the language switch",
        ["GET /api/docs/{documentName?}"] = "public: the API reference (ApiReferenceBrowserTests)",
        ["GET /openapi/v1.json"] = "public: the API description",
        ["GET /display/{Slug}"] = "a display key opens one screen (DisplayPageTests, DisplayBrowserTests)",
        ["* /healthz"] = "public: load balancers and the wall's self-healing reload ask it",
        ["* /healthz/live"] = "public: process liveness",
        ["* /healthz/ready"] = "public: readiness",
        ["* /metrics"] = "loopback or a signed-in organiser (OperationsTests)",
        ["* /hubs/live"] = "a display key or a bearer token (LiveHubTests)",
        ["* /hubs/live/negotiate"] = "a display key or a bearer token (LiveHubTests)",
        ["* /_blazor"] = "the framework's circuit: same-origin only, capped per address (OpenNetworkTests, CircuitCapTests)",
        ["* /_blazor/negotiate"] = "the framework's circuit: same-origin only, capped per address (OpenNetworkTests, CircuitCapTests)",
        ["* /_blazor/disconnect/"] = "the framework's circuit",
        ["* /_blazor/initializers/"] = "the framework's circuit",
        ["GET /_framework/opaque-redirect"] = "the framework's redirect helper",
        ["GET {**path:file}"] = "static files",
    };

    /// <summary>Open endpoints not requested here, because answering them ends the session the walk goes on with.</summary>
    private static readonly Dictionary<string, string> NotRequested = new()
    {
        ["GET /account/idle"] = "signs the session out (SessionLifetimeTests)",
        ["POST /account/logout"] = "signs the session out (AntiforgeryTests)",
    };

    // A value for each route parameter, so that every route can be requested. Ids and slugs name nothing: an allowed
    // request then answers 404 after the authorisation, and the walk deletes, closes or activates nothing under the
    // next request's feet (nor meets a handler's own rule about that row, such as the site's touring group).
    private static readonly Dictionary<string, string> Samples = new(StringComparer.OrdinalIgnoreCase)
    {
        ["slug"] = "no-such-screen", ["day"] = "2023-07-29", ["id"] = "999999", ["name"] = "missing.db", ["documentName"] = "v1",
    };

    private static string Url(RouteEndpoint e) =>
        "/" + string.Join("/", e.RoutePattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternParameterPart parameter => Samples[parameter.Name],
            RoutePatternSeparatorPart separator => separator.Content,
            _ => "",
        }))));

    /// <summary>Who may pass, by the endpoint's own metadata: null when it carries no role decision.</summary>
    private static (bool Decided, string[]? Roles, bool Open, bool Bearer) Decision(RouteEndpoint e)
    {
        if (e.Metadata.GetMetadata<IAllowAnonymous>() is not null) return (true, null, true, false);
        var authorize = e.Metadata.GetOrderedMetadata<IAuthorizeData>();
        var bearer = authorize.Any(a => a.AuthenticationSchemes?.Contains(IdentityConstants.BearerScheme, StringComparison.Ordinal) == true);
        var policies = authorize.Select(a => a.Policy).OfType<string>().ToList();
        if (e.Metadata.GetMetadata<AuthorizationPolicy>() is not null || policies.Count != 1 || !PolicyRoles.TryGetValue(policies[0], out var roles))
            return (false, null, false, bearer);
        return (true, roles, false, bearer);
    }

    private static bool Refused(HttpResponseMessage r) =>
        r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden
        || (r.StatusCode == HttpStatusCode.Redirect && r.Headers.Location?.ToString() is { } to
            && (to.Contains(AccountEndpoints.LoginPath, StringComparison.Ordinal) || to.Contains(AccountEndpoints.DeniedPath, StringComparison.Ordinal)));

    [Fact]
    public async Task Every_mapped_page_and_endpoint_has_a_decision_and_refuses_exactly_whom_it_should()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        var endpoints = host.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            // The framework's static assets (fingerprinted files) are files, not decisions.
            .Where(e => !e.Metadata.Any(m => m.GetType().Name == "StaticAssetDescriptor"))
            .ToList();
        var failures = new List<string>();
        var rows = new List<(string Key, RouteEndpoint Endpoint, string Method, (bool Decided, string[]? Roles, bool Open, bool Bearer) Rule)>();
        foreach (var e in endpoints)
        {
            var methods = e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"];
            // A page answers GET and POST (its forms); GET is how a person arrives.
            foreach (var method in methods.Contains("GET") ? ["GET"] : methods.Where(m => m != "HEAD"))
            {
                var key = Key(method, e);
                var rule = Decision(e);
                if (!rule.Decided && !DecidedElsewhere.ContainsKey(key)) failures.Add($"{key}: no authorisation decision (a policy, [AllowAnonymous], or a reason in DecidedElsewhere)");
                if (rule.Decided && !NotRequested.ContainsKey(key)) rows.Add((key, e, method, rule));
            }
        }
        foreach (var key in DecidedElsewhere.Keys.Where(k => !endpoints.Any(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["*"])
                     .Any(m => Key(m, e) == k || (k.StartsWith("* ", StringComparison.Ordinal) && Key("*", e) == k)))))
            failures.Add($"{key}: listed in DecidedElsewhere but no longer mapped");

        var table = new List<string>();
        foreach (var (user, role) in Users)
        {
            using var web = user == Anonymous ? SignedInClients.Anonymous(root) : await SignedInClients.WebAsync(host, root, user);
            using var api = user == Anonymous ? SignedInClients.Anonymous(root) : await SignedInClients.ApiAsync(host, root, user);
            // Four requests at a time: the answers do not depend on each other (a refusal comes before any handler runs).
            await Parallel.ForEachAsync(rows, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (row, ct) =>
            {
                var (key, e, method, rule) = row;
                using var request = new HttpRequestMessage(new HttpMethod(method), Url(e));
                // A body of the kind the endpoint takes: a form where it reads a form, else JSON.
                if (method is "POST" or "PUT")
                    request.Content = e.Metadata.GetMetadata<IAcceptsMetadata>()?.ContentTypes.Any(t => t.Contains("form", StringComparison.Ordinal)) == true
                        ? new FormUrlEncodedContent([])
                        : new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                using var response = await (rule.Bearer ? api : web).SendAsync(request, ct);
                var mayPass = rule.Open || (role is not null && (rule.Roles is null || rule.Roles.Contains(role)));
                var refused = Refused(response);
                lock (table)
                {
                    table.Add($"{user,-17} {key,-50} {(int)response.StatusCode} {(refused ? "refused" : "passed")}");
                    if (refused == mayPass)
                        failures.Add($"{user} {key}: {(mayPass ? "should pass" : "should be refused")}, got {(int)response.StatusCode} {response.Headers.Location}");
                }
            });
        }
        Console.WriteLine(string.Join(Environment.NewLine, table));
        Assert.True(rows.Count > 40, $"only {rows.Count} decided endpoints found");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
