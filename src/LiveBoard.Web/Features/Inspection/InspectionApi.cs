using System.Globalization;
using System.Text.Json;
using LiveBoard.Core.Inspection;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Api;
using LiveBoard.Web.Data;
using LiveBoard.Core;
using Microsoft.Extensions.Localization;
using LiveBoard.Web.Features.Campaigns;

namespace LiveBoard.Web.Features.Inspection;

/// <summary>
/// The inspection week's API (/api/v1): itinerary, visits, score sheets, closures, grades. Used by scripts and by the
/// offline scoring page (/score), which keeps unsent sheets in the browser and sends each with its own Idempotency-Key.
/// Same conventions as the rest of the API (<see cref="ApiRoutes"/>): bearer tokens only, bodies parsed by hand into 400s, problem+json.
/// </summary>
public static class InspectionApi
{
    public const int MaxText = 1000;

    private static readonly JsonSerializerOptions SettingsJson = new(JsonSerializerDefaults.Web);

    public static void MapInspectionApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApi();
        api.MapGet("/sites", SitesAsync).RequireAuthorization(Policies.Itinerary);
        api.MapPost("/sites/{id:int}/visit", VisitAsync).RequireAuthorization(Policies.Itinerary).RequireRateLimiting(ApiRoutes.WriteRateLimit);
        api.MapPost("/sites/{id:int}/close-scoring", CloseAsync).RequireAuthorization(Policies.Organiser);
        api.MapGet("/sites/{id:int}/scores", ScoresAsync).RequireAuthorization(Policies.ReadAll);
        api.MapPost("/scores", ScoreAsync).RequireAuthorization(Policies.Scoring).RequireRateLimiting(ApiRoutes.WriteRateLimit);
        api.MapPut("/grades", GradeAsync).RequireAuthorization(Policies.Organiser).RequireRateLimiting(ApiRoutes.WriteRateLimit);
        api.MapGet("/grades", GradesAsync).RequireAuthorization(Policies.ReadAll);
        api.MapGet("/inspection/settings", async (InspectionService inspection, CancellationToken ct) =>
            await inspection.SettingsAsync(ct) is { } settings ? Results.Ok(settings) : Results.NotFound()).RequireAuthorization(Policies.ReadAll);
        api.MapPut("/inspection/settings", SettingsAsync).RequireAuthorization(Policies.Organiser);
        // Itinerary management (organisers): one site at a time, or the whole workbook.
        api.MapPost("/sites", (HttpContext http, SiteAdmin admin, IStringLocalizer<SharedResource> L, CancellationToken ct) => SaveSiteAsync(null, http, admin, L, ct))
            .RequireAuthorization(Policies.Organiser);
        api.MapPut("/sites/{id:int}", (int id, HttpContext http, SiteAdmin admin, IStringLocalizer<SharedResource> L, CancellationToken ct) => SaveSiteAsync(id, http, admin, L, ct))
            .RequireAuthorization(Policies.Organiser);
        api.MapDelete("/sites/{id:int}", async (int id, HttpContext http, SiteAdmin admin, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
            await admin.DeleteAsync(id, http.User.Identity!.Name!, Channels.Api, ct) switch
            {
                null => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Api_SiteUnknown"]),
                false => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: L["Sites_InUse"]),
                true => Results.NoContent(),
            }).RequireAuthorization(Policies.Organiser);
        api.MapGet("/sites/export", ExportAsync).RequireAuthorization(Policies.Organiser);
        api.MapPost("/sites/import", async (HttpContext http, SiteAdmin admin, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
            ImportResult(await admin.ImportAsync(http.Request.Body, http.User.Identity!.Name!, Channels.Api, ct), L))
            .RequireAuthorization(Policies.Organiser).WithRawBody();
        // Who am I and what is today: the scoring page shows the observer's own group's route of the day.
        api.MapGet("/inspection/me", MeAsync).RequireAuthorization(Policies.SignedIn);
    }

    private static object Row(SiteRow s) => new
    {
        s.Id, s.Name, s.NameEn, s.District, s.Group, Day = s.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), s.Order,
        Status = s.Status.ToString(), Visited = s.Visit == VisitKind.Visited, Visit = s.Visit?.ToString(), s.VisitAt, s.VisitBy, s.Kilometres,
        s.ScoringClosed, s.Observers, s.Version,
    };

    private static async Task<IResult> SitesAsync(string? day, string? group, InspectionService inspection, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        DateOnly? date = null;
        if (day is { Length: > 0 })
        {
            if (!DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["day"] = [L["Api_DateExpected"]] });
            date = d;
        }
        return Results.Ok((await inspection.SitesAsync(date, group is { Length: > 0 } ? group : null, ct)).Select(Row));
    }

    private static async Task<IResult> MeAsync(HttpContext http, InspectionService inspection, CancellationToken ct)
    {
        var settings = await inspection.SettingsAsync(ct);
        return Results.Ok(new
        {
            User = http.User.Identity!.Name,
            Group = http.User.FindFirst(LiveBoardClaims.TouringGroup)?.Value,
            Today = (await inspection.TodayAsync(ct))?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            MaxPoints = settings is null ? null : new { structure = settings.StructureMax, efficiency = settings.EfficiencyMax, service = settings.ServiceMax, results = settings.ResultsMax },
        });
    }

    private static async Task<IResult> VisitAsync(int id, HttpContext http, InspectionService inspection, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var kind = VisitKind.Visited;
        decimal? kilometres = null;
        // The body is optional: an empty POST means "visited".
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            var (body, problem) = await ApiRequests.ReadJsonAsync(http);
            if (problem is not null) return problem;
            var b = body!.Value;
            if (b.ValueKind != JsonValueKind.Object) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [L["Api_ObjectExpected"]] });
            if (b.TryGetProperty("kind", out var k) && k.ValueKind != JsonValueKind.Null)
            {
                if (k.ValueKind != JsonValueKind.String || !Enum.TryParse(k.GetString(), true, out kind) || !Enum.IsDefined(kind))
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["kind"] = [L["Api_VisitKind"]] });
            }
            if (b.TryGetProperty("kilometres", out var km) && km.ValueKind != JsonValueKind.Null)
            {
                if (km.ValueKind != JsonValueKind.Number || !km.TryGetDecimal(out var v) || v < 0 || v > 5000)
                    return Results.ValidationProblem(new Dictionary<string, string[]> { ["kilometres"] = [L["Api_Kilometres"]] });
                kilometres = v;
            }
        }
        var (found, allowed, site) = await inspection.MarkVisitAsync(id, kind, kilometres, http.User, Channels.Api, http.TraceIdentifier, ct);
        if (!found) return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Api_SiteUnknown"]);
        if (!allowed) return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: L["Api_OtherGroup"]);
        return Results.Ok(Row(site!));
    }

    private static async Task<IResult> CloseAsync(int id, HttpContext http, InspectionService inspection, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        await inspection.CloseScoringAsync(id, http.User.Identity!.Name!, Channels.Api, http.TraceIdentifier, ct)
            ? Results.NoContent()
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Api_SiteUnknown"]);

    private static async Task<IResult> ScoresAsync(int id, InspectionService inspection, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        if (await inspection.ScoresAsync(id, ct) is not { } view)
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Api_SiteUnknown"]);
        return Results.Ok(new
        {
            Site = Row(view.Site),
            view.Aggregate.Score, view.Aggregate.Observers, view.Aggregate.Trimmed,
            Sheets = view.Sheets.Select(s => new { s.Observer, s.Structure, s.Efficiency, s.Service, s.Results, s.Gaps, s.Highlights, s.Version, s.UpdatedAt }),
        });
    }

    private static async Task<IResult> ScoreAsync(HttpContext http, InspectionService inspection, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadJsonAsync(http);
        if (problem is not null) return problem;
        var (key, keyProblem) = ApiRequests.ReadIdempotency(http, IdempotencyScopes.Scores, body!.Value, L);
        if (keyProblem is not null) return keyProblem;
        var (sheet, errors) = ParseSheet(body.Value, L);
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var outcome = await inspection.RecordScoreAsync(sheet!, http.User, Channels.Api, http.TraceIdentifier, key, ct);
        var location = $"{ApiRoutes.Prefix}/sites/{sheet!.SiteId}/scores";
        return outcome switch
        {
            ScoreOutcome.Accepted a => Results.Created(location, a.Receipt),
            ScoreOutcome.Repeated r => ApiRequests.Replay<ScoreReceipt>(r.Record, key!, receipt => Results.Created(location, receipt), L),
            ScoreOutcome.Invalid i => Results.ValidationProblem(i.Errors.ToDictionary(
                e => e.Dimension.ToString().ToLowerInvariant(), e => new[] { (string)L[e.Key, e.Max] })),
            ScoreOutcome.NotFound => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Api_SiteUnknown"]),
            ScoreOutcome.Forbidden => Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: L["Api_NotYourSite"]),
            ScoreOutcome.Closed => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: L["Score_Closed"]),
            _ => throw new InvalidOperationException(outcome.GetType().Name),
        };
    }

    /// <summary>{site, structure, efficiency, service, results, gaps?, highlights?}, field by field.</summary>
    public static (ScoreSheet? Sheet, Dictionary<string, string[]> Errors) ParseSheet(JsonElement body, IStringLocalizer L)
    {
        var errors = new Dictionary<string, string[]>();
        if (body.ValueKind != JsonValueKind.Object)
            return (null, new Dictionary<string, string[]> { ["body"] = [L["Api_ObjectExpected"]] });
        var site = 0;
        if (!body.TryGetProperty("site", out var s) || s.ValueKind != JsonValueKind.Number || !s.TryGetInt32(out site) || site <= 0)
            errors["site"] = [L["Api_SiteRequired"]];
        decimal Points(string name)
        {
            if (body.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.Number && p.TryGetDecimal(out var v)) return v;
            errors[name] = [L["Api_NumberExpected"]];
            return 0;
        }
        string? Text(string name)
        {
            if (!body.TryGetProperty(name, out var t) || t.ValueKind == JsonValueKind.Null) return null;
            if (t.ValueKind != JsonValueKind.String) { errors[name] = [L["Api_TextExpected"]]; return null; }
            var text = t.GetString()!;
            if (text.Length > MaxText) { errors[name] = [L["Api_TextTooLong", MaxText]]; return null; }
            return text;
        }
        var sheet = new ScoreSheet(site, Points("structure"), Points("efficiency"), Points("service"), Points("results"), Text("gaps"), Text("highlights"));
        return (errors.Count == 0 ? sheet : null, errors);
    }

    private static async Task<IResult> GradeAsync(HttpContext http, InspectionService inspection, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadJsonAsync(http);
        if (problem is not null) return problem;
        var b = body!.Value;
        if (b.ValueKind != JsonValueKind.Object) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [L["Api_ObjectExpected"]] });
        var errors = new Dictionary<string, string[]>();
        string? Str(string name, int max)
        {
            if (!b.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String || v.GetString()!.Length > max) { errors[name] = [L["Api_TextExpected"]]; return null; }
            return v.GetString();
        }
        var district = Str("district", 64);
        var indicator = Str("indicator", 64);
        var quarter = Str("quarter", 6);
        var gradeText = Str("grade", 20);
        var remark = Str("remark", 500);
        if (district is not { Length: > 0 }) errors.TryAdd("district", [L["Api_DistrictRequired"]]);
        if (indicator is not { Length: > 0 }) errors.TryAdd("indicator", [L["Api_IndicatorRequired"]]);
        if (quarter is null || !Quarters.IsValid(quarter)) errors.TryAdd("quarter", [L["Api_Quarter"]]);
        var grade = GradeText.Parse(gradeText);
        if (grade is null) errors.TryAdd("grade", [L["Api_Grade"]]);
        if (errors.Count > 0) return Results.ValidationProblem(errors);

        var (unknown, change) = await inspection.SetGradeAsync(district!, indicator!, quarter!, grade!.Value, remark, http.User.Identity!.Name!,
            Channels.Api, http.TraceIdentifier, ct);
        if (unknown is not null)
            return Results.ValidationProblem(new Dictionary<string, string[]> { [unknown] = [L["Api_UnknownCode"]] });
        return Results.Ok(new { change!.DistrictCode, change.IndicatorCode, change.Quarter, Grade = GradeText.Chinese(change.Grade), Old = change.OldGrade is { } o ? GradeText.Chinese(o) : null });
    }

    /// <summary>
    /// The scoring scheme. The composite's inspection and grade weights are weights like the indicators': a change to them
    /// needs a "reason" and becomes a new version of the campaign's weights (who, when, why, audited), by the same path as
    /// the campaign editor's weights form; the same weights sent back unchanged need none.
    /// </summary>
    private static async Task<IResult> SettingsAsync(HttpContext http, InspectionService inspection, CampaignWeights weights, IStringLocalizer<SharedResource> L,
        CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadJsonAsync(http);
        if (problem is not null) return problem;
        InspectionSettings? settings;
        try
        {
            settings = body!.Value.ValueKind == JsonValueKind.Object ? body.Value.Deserialize<InspectionSettings>(SettingsJson) : null;
        }
        catch (JsonException)
        {
            settings = null;
        }
        if (settings is null) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [L["Api_ObjectExpected"]] });
        if (settings.Validate() is { Count: > 0 } errors)
            return Results.ValidationProblem(errors.ToDictionary(e => e.Key, e => new[] { (string)L[e.Value] }));
        if (await inspection.SettingsAsync(ct) is not { } current) return Results.NotFound();
        var by = http.User.Identity!.Name!;
        if (current.InspectionWeight != settings.InspectionWeight || current.GradeWeight != settings.GradeWeight)
        {
            var reason = ApiRequests.ReasonOf(body);
            if (string.IsNullOrWhiteSpace(reason))
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["reason"] = [L["Inspection_WeightsNeedReason"]] });
            // One change, one transaction: the weights version and the settings that carry its component weights commit
            // together, so a crash between them cannot leave a version without its settings or the reverse.
            DateTimeOffset? at = null;
            var outcome = await weights.ChangeAsync(current.CampaignId, new Dictionary<string, WeightAndTarget>(), reason, by, Channels.Api,
                new ComponentWeights(settings.InspectionWeight, settings.GradeWeight), async (db, now) =>
                {
                    await InspectionService.StageSettingsAsync(db, current.CampaignId, settings, by, Channels.Api, http.TraceIdentifier, now, ct);
                    at = now;
                }, ct);
            switch (outcome)
            {
                case WeightsOutcome.Refused refused:
                    return CampaignApi.Refused(refused.Faults, L);
                case WeightsOutcome.NotFound:
                    return Results.NotFound();
            }
            await inspection.AnnounceSettingsAsync(current.CampaignId, by, at!.Value);
            return Results.Ok(await inspection.SettingsAsync(ct));
        }
        return await inspection.SaveSettingsAsync(settings, by, Channels.Api, http.TraceIdentifier, ct)
            ? Results.Ok(await inspection.SettingsAsync(ct))
            : Results.NotFound();
    }

    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The itinerary workbook; also mapped for the organiser's page (cookie) as <see cref="ExportPath"/>.</summary>
    public static async Task ExportAsync(HttpContext http, SiteAdmin admin, CancellationToken ct)
    {
        http.Response.ContentType = XlsxType;
        http.Response.Headers.ContentDisposition = "attachment; filename=\"sites.xlsx\"";
        await admin.ExportAsync(http.Response.Body, ct);
    }

    public const string ExportPath = "/itinerary/sites.xlsx";

    /// <summary>Row errors become a 400 keyed "row 3 / day"; success reports how many sites changed.</summary>
    public static IResult ImportResult((IReadOnlyList<SiteRowError> Errors, int Changed) result, IStringLocalizer L) =>
        result.Errors.Count > 0
            ? Results.ValidationProblem(result.Errors.GroupBy(e => e.Row == 0 ? e.Column : $"row {e.Row} / {e.Column}")
                .ToDictionary(g => g.Key, g => g.Select(e => (string)L[e.Key]).ToArray()))
            : Results.Ok(new { changed = result.Changed });

    private static async Task<IResult> SaveSiteAsync(int? id, HttpContext http, SiteAdmin admin, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadJsonAsync(http);
        if (problem is not null) return problem;
        var b = body!.Value;
        if (b.ValueKind != JsonValueKind.Object) return Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [L["Api_ObjectExpected"]] });
        var (entry, errors) = SiteAdmin.Parse(0, c => !b.TryGetProperty(c, out var v) ? null : v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.TryGetDecimal(out var d) ? d : null,
            _ => null,
        });
        int? expectedVersion = null;
        if (b.TryGetProperty("expectedVersion", out var ev) && ev.ValueKind != JsonValueKind.Null)
        {
            if (ev.ValueKind == JsonValueKind.Number && ev.TryGetInt32(out var e) && e >= 0) expectedVersion = e;
            else errors.Add(new SiteRowError(0, "expectedVersion", "Api_VersionExpected"));
        }
        if (errors.Count > 0) entry = null;
        var result = entry is null ? (errors, 0) : await admin.SaveOneAsync(id, entry, http.User.Identity!.Name!, Channels.Api, expectedVersion, ct);
        // Someone else changed the site after this caller read it: nothing was written; their change is not overwritten.
        if (result.Item1.Any(e => e.Key == SiteAdmin.ChangedMeanwhile))
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: L[SiteAdmin.ChangedMeanwhile]);
        if (result.Item1.Count > 0 || id is not null) return ImportResult(((IReadOnlyList<SiteRowError>)result.Item1, result.Item2), L);
        return Results.Created(string.Create(CultureInfo.InvariantCulture, $"{ApiRoutes.Prefix}/sites?day={entry!.Day:yyyy-MM-dd}&group={entry.Group}"), new { changed = result.Item2 });
    }

    private static async Task<IResult> GradesAsync(string? quarter, InspectionService inspection, CancellationToken ct)
    {
        var (chosen, quarters, grades) = await inspection.GradesAsync(quarter, ct);
        return Results.Ok(new
        {
            Quarter = chosen, Quarters = quarters,
            Grades = grades.Select(g => new { g.Key.District, g.Key.Indicator, Grade = GradeText.Chinese(g.Value.Grade), g.Value.Remark, g.Value.GradedBy, g.Value.GradedAt }),
        });
    }
}

/// <summary>Quarters are written "2023Q2".</summary>
public static class Quarters
{
    public static bool IsValid(string quarter) =>
        quarter.Length == 6 && int.TryParse(quarter[..4], NumberStyles.None, CultureInfo.InvariantCulture, out var year) && year is >= 2000 and <= 2100
        && quarter[4] == 'Q' && quarter[5] is >= '1' and <= '4';

    public static string Of(DateOnly day) => $"{day.Year}Q{(day.Month - 1) / 3 + 1}";
}
