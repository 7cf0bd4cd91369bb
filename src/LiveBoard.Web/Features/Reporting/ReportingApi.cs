using System.Security.Claims;
using System.Text.Json;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Standings;
using LiveBoard.Web.Api;
using LiveBoard.Core;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Reporting;

/// <summary>
/// The push API for district systems and scripts (/api/v1). Callers authenticate with a bearer token from
/// /api/v1/auth/token; writes go through <see cref="FigureService"/> like every other channel.
/// Bodies are parsed by hand so that any malformed input becomes a 400 naming the field, never a 500.
/// </summary>
public static class ReportingApi
{
    public const int MaxValuesPerReport = 100;

    public static void MapReportingApi(this IEndpointRouteBuilder app)
    {
        app.MapPublicApi().MapPost("/auth/token", IssueTokenAsync).AllowAnonymous().RequireRateLimiting(AccountEndpoints.AuthRateLimit);

        var api = app.MapApi();
        api.MapGet("/campaigns/current", CurrentCampaignAsync).RequireAuthorization(Policies.SignedIn);
        api.MapPost("/reports", ReportAsync).RequireAuthorization(Policies.Reporting).RequireRateLimiting(ApiRoutes.WriteRateLimit);
        api.MapGet("/figures", FiguresAsync).RequireAuthorization(Policies.ReadAll);
        api.MapGet("/rankings", RankingsAsync).RequireAuthorization(Policies.ReadAll);
    }

    private static async Task<IResult> IssueTokenAsync(HttpContext http, PasswordCheck check, SignInManager<LiveBoardUser> signIn)
    {
        var (body, problem) = await ApiRequests.ReadJsonAsync(http);
        if (problem is not null) return problem;
        var userName = body!.Value.ValueKind == JsonValueKind.Object && body.Value.TryGetProperty("username", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        var password = body.Value.ValueKind == JsonValueKind.Object && body.Value.TryGetProperty("password", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
        if (userName is null || password is null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["username/password"] = ["username and password are required strings"] });

        var (result, user, retryAfter) = await check.CheckAsync(userName, password, Channels.Api, http);
        if (result == SignInCheck.Throttled)
        {
            http.Response.Headers.RetryAfter = Math.Ceiling(retryAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return Results.Problem(statusCode: StatusCodes.Status429TooManyRequests, title: "Too many failed sign-ins from this address; try again later");
        }
        if (user is null)
            return Results.Problem(statusCode: StatusCodes.Status401Unauthorized, title: "Invalid user name or password");
        // The bearer handler writes { tokenType, accessToken, expiresIn, refreshToken }.
        return Results.SignIn(await signIn.CreateUserPrincipalAsync(user), authenticationScheme: IdentityConstants.BearerScheme);
    }

    private static async Task<IResult> CurrentCampaignAsync(CampaignStore store, CancellationToken ct)
    {
        if (await store.LoadCurrentAsync(ct) is not { } state) return Results.NotFound();
        var c = state.Campaign;
        return Results.Ok(new
        {
            c.Code, c.Name, c.NameEn, c.StartDate, c.EndDate,
            Districts = c.Districts.Select(d => new { d.Code, d.Name, d.NameEn }),
            Indicators = c.Indicators.Where(i => i.Category == IndicatorCategory.Headline)
                .Select(i => new { i.Code, i.Name, i.NameEn, Unit = i.Unit.ToString(), i.Decimals, i.Target, i.PlausibleMin, i.PlausibleMax }),
        });
    }

    private static async Task<IResult> FiguresAsync(string? district, CampaignStore store, CancellationToken ct)
    {
        if (await store.LoadCurrentAsync(ct) is not { } state) return Results.NotFound();
        return Results.Ok(state.FigureRows
            .Select(f => new { District = state.District(f.DistrictId).Code, Indicator = state.Indicator(f.IndicatorId).Code, f.Value, f.Version, f.UpdatedAt, f.UpdatedBy })
            .Where(f => district is null || f.District == district));
    }

    private static async Task<IResult> RankingsAsync(LiveStandings standings, CancellationToken ct)
    {
        if (await standings.CurrentAsync(ct) is not { } snapshot) return Results.NotFound();
        var model = snapshot.City;
        return Results.Ok(new
        {
            Composite = model.Ranking.Composite.Select(s => new
            {
                District = s.DistrictCode, s.Rank, s.Score, Movement = s.Movement.Kind.ToString(), MovementPlaces = s.Movement.Places, s.MissingCount,
            }),
            ByIndicator = model.Ranking.ByIndicator.Select(r => new
            {
                Indicator = r.Indicator.Code,
                // A district the component does not judge yet (not visited) has no rank: null, and unranked true.
                Standings = r.Standings.Select(s => new { District = s.DistrictCode, s.Value, Rank = s.Unranked ? (int?)null : s.Rank, s.Score, s.Unranked }),
            }),
            ComparedWith = model.ComparedWith?.Label,
        });
    }

    private static async Task<IResult> ReportAsync(HttpContext http, FigureService figures, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadJsonAsync(http);
        if (problem is not null) return problem;
        var (key, keyProblem) = ApiRequests.ReadIdempotency(http, IdempotencyScopes.Reports, body!.Value, L);
        if (keyProblem is not null) return keyProblem;

        var (district, entries, errors) = ReportPayload.Parse(body.Value, L);
        if (errors.Count > 0) return Results.ValidationProblem(errors);
        var user = http.User;
        if (!Policies.CanReportFor(user, district!))
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: L["Api_OtherDistrict"]);

        var author = user.Identity!.Name!;
        var outcome = await figures.ReportAsync(new ReportRequest(district!, entries!, author, Channels.Api, http.TraceIdentifier, key,
            ClientAddress.Of(http)), ct);
        var location = $"{ApiRoutes.Prefix}/figures?district={district}";
        return outcome switch
        {
            ReportOutcome.Accepted a => Results.Created(location, a.Receipts[0]),
            ReportOutcome.Repeated r => ApiRequests.Replay<ReportReceipt>(r.Record, key!, receipt => Results.Created(location, receipt), L),
            ReportOutcome.Invalid i => Results.ValidationProblem(L.ByField(i.Errors)),
            ReportOutcome.Conflict c => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: L["Report_Conflict"],
                extensions: new Dictionary<string, object?> { ["conflicts"] = c.Conflicts }),
            _ => throw new InvalidOperationException(outcome.GetType().Name),
        };
    }
}

/// <summary>The report body, checked field by field: {district, values: [{indicator, value, expectedVersion?, reason?}]}.</summary>
public static class ReportPayload
{
    public static (string? District, List<FigureEntry>? Entries, Dictionary<string, string[]> Errors) Parse(JsonElement body, IStringLocalizer L)
    {
        var errors = new Dictionary<string, string[]>();
        void Fail(string field, string message) => errors[field] = [message];
        if (body.ValueKind != JsonValueKind.Object)
        {
            Fail("body", L["Api_ObjectExpected"]);
            return (null, null, errors);
        }
        string? district = null;
        if (!body.TryGetProperty("district", out var d) || d.ValueKind != JsonValueKind.String || d.GetString() is not { Length: > 0 and <= 64 } code)
            Fail("district", L["Api_DistrictRequired"]);
        else district = code;

        var entries = new List<FigureEntry>();
        if (!body.TryGetProperty("values", out var values) || values.ValueKind != JsonValueKind.Array || values.GetArrayLength() == 0)
            Fail("values", L["Report_Empty"]);
        else if (values.GetArrayLength() > ReportingApi.MaxValuesPerReport)
            Fail("values", L["Api_TooManyValues", ReportingApi.MaxValuesPerReport]);
        else
        {
            var n = 0;
            foreach (var v in values.EnumerateArray())
            {
                var at = $"values[{n++}]";
                if (v.ValueKind != JsonValueKind.Object) { Fail(at, L["Api_ObjectExpected"]); continue; }
                string? indicator = null;
                decimal value = 0;
                int? expected = null;
                string? reason = null;
                var ok = true;
                if (!v.TryGetProperty("indicator", out var i) || i.ValueKind != JsonValueKind.String || i.GetString() is not { Length: > 0 and <= 64 } ic)
                { Fail(at + ".indicator", L["Api_IndicatorRequired"]); ok = false; }
                else indicator = ic;
                if (!v.TryGetProperty("value", out var val) || val.ValueKind != JsonValueKind.Number || !val.TryGetDecimal(out value))
                { Fail(at + ".value", L["Api_NumberExpected"]); ok = false; }
                if (v.TryGetProperty("expectedVersion", out var ev) && ev.ValueKind != JsonValueKind.Null)
                {
                    if (ev.ValueKind == JsonValueKind.Number && ev.TryGetInt32(out var e) && e >= 0) expected = e;
                    else { Fail(at + ".expectedVersion", L["Api_VersionExpected"]); ok = false; }
                }
                if (v.TryGetProperty("reason", out var r) && r.ValueKind != JsonValueKind.Null)
                {
                    if (r.ValueKind != JsonValueKind.String) { Fail(at + ".reason", L["Api_TextExpected"]); ok = false; }
                    else reason = r.GetString();
                }
                if (ok) entries.Add(new FigureEntry(indicator!, value, expected, reason));
            }
        }
        return (district, errors.Count == 0 ? entries : null, errors);
    }
}
