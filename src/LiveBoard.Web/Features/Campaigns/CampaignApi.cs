using System.Text;
using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Api;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Campaigns;

/// <summary>
/// Campaigns over the API (/api/v1/campaigns), organisers only: create a draft from a campaign file, export one, make one
/// current. Same conventions as the rest of the API (<see cref="ApiRoutes"/>): bearer tokens, problem+json.
/// </summary>
public static class CampaignApi
{
    public const string ExportJsonPath = "/campaigns/{id:int}/export.json";
    public const string ExportXlsxPath = "/campaigns/{id:int}/export.xlsx";
    public const string XlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    public static void MapCampaignApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApi();
        api.MapGet("/campaigns", async (CampaignLifecycle lifecycle, CancellationToken ct) => Results.Ok(await lifecycle.ListAsync(ct)))
            .RequireAuthorization(Policies.Organiser);
        // JSON or a workbook; its own reader lists every fault of either in Chinese, the shared JSON check would not.
        api.MapPost("/campaigns", CreateAsync).RequireAuthorization(Policies.Organiser).RequireRateLimiting(ApiRoutes.WriteRateLimit).WithRawBody();
        api.MapGet("/campaigns/{id:int}/export", ExportAsync).RequireAuthorization(Policies.Organiser);
        api.MapPost("/campaigns/{id:int}/activate", ActivateAsync).RequireAuthorization(Policies.Organiser).RequireRateLimiting(ApiRoutes.WriteRateLimit);
        api.MapPost("/campaigns/{id:int}/weights", ChangeWeightsAsync).RequireAuthorization(Policies.Organiser).RequireRateLimiting(ApiRoutes.WriteRateLimit);
        api.MapGet("/campaigns/{id:int}/export.xlsx", ExportXlsxAsync).RequireAuthorization(Policies.Organiser);
        // The campaigns page downloads with its sign-in cookie (the API takes bearer tokens only).
        app.MapGet(ExportJsonPath, ExportAsync).RequireAuthorization(Policies.Organiser);
        app.MapGet(ExportXlsxPath, ExportXlsxAsync).RequireAuthorization(Policies.Organiser);
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CampaignImport import, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        CampaignFile? file;
        IReadOnlyList<CampaignFault> faults;
        Idempotency? key = null;
        try
        {
            // Read whole first: Kestrel allows no synchronous reads, and the body is small (ApiRoutes.MaxBodyBytes).
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body, ct);
            // Optional, as for publications: creating a campaign is one deliberate act, but a script may retry it.
            if (http.Request.Headers.ContainsKey(ApiRequests.IdempotencyHeader))
            {
                (key, var keyProblem) = ApiRequests.ReadIdempotency(http, IdempotencyScopes.Campaigns, body.GetBuffer().AsSpan(0, (int)body.Length), L);
                if (keyProblem is not null) return keyProblem;
            }
            body.Position = 0;
            // The same campaign as a workbook (a sheet per part) or as the JSON file.
            (file, faults) = ReadFile(body, http.Request.ContentType?.StartsWith(XlsxType, StringComparison.OrdinalIgnoreCase) == true);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Problem(statusCode: e.StatusCode, title: "Request body too large");
        }
        if (file is null) return Refused(faults, L);
        static IResult Created(CampaignImportOutcome.Created? created) =>
            Results.Created($"{ApiRoutes.Prefix}/campaigns/{created!.Id}", new { created.Id, created.Code });
        return await import.CreateAsync(file, CampaignStatus.Draft, http.User.Identity!.Name!, Channels.Api, key: key, ct: ct) switch
        {
            CampaignImportOutcome.Created created => Created(created),
            CampaignImportOutcome.Refused refused => Refused(refused.Faults, L),
            CampaignImportOutcome.Repeated repeated => ApiRequests.Replay<CampaignImportOutcome.Created>(repeated.Record, key!, Created, L),
            _ => throw new InvalidOperationException(),
        };
    }

    /// <summary>A campaign file as a workbook (a sheet per part) or as JSON: the file, or every fault.</summary>
    public static (CampaignFile? File, IReadOnlyList<CampaignFault> Faults) ReadFile(Stream body, bool xlsx) =>
        xlsx ? CampaignWorkbook.Read(body) : CampaignFile.Parse(body);

    /// <summary>A refused file: 400 with every fault, keyed by where it is (JSON Pointer), in the caller's language (Chinese by default).</summary>
    public static IResult Refused(IReadOnlyList<CampaignFault> faults, IStringLocalizer L) =>
        Results.ValidationProblem(faults.GroupBy(f => f.Where).ToDictionary(g => g.Key.Length == 0 ? "/" : g.Key, g => g.Select(f => CampaignFaultText.Message(f, L)).ToArray()),
            title: L["Campaigns_FileRefused"]);

    private static async Task<IResult> ExportAsync(int id, CampaignImport import, CancellationToken ct) =>
        await import.ExportAsync(id, ct) is { } file
            ? Results.File(Encoding.UTF8.GetBytes(file.ToJson()), "application/json", $"{file.Code}.json")
            : Results.NotFound();

    /// <summary>
    /// Body: { "reason": "…", "indicators": { "code": { "weight": 20, "target": 300, "districtTargets": { "horqin": 60 } } }, "inspectionWeight": 20,
    /// "gradeWeight": 10 }; each part optional (districtTargets, when given, is every district's own target the indicator keeps).
    /// </summary>
    private static async Task<IResult> ChangeWeightsAsync(int id, HttpContext http, CampaignWeights weights, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadJsonAsync(http);
        if (problem is not null) return problem;
        var changes = new Dictionary<string, WeightAndTarget>();
        var reason = ApiRequests.ReasonOf(body);
        ComponentWeights? components = null;
        if (body is { ValueKind: System.Text.Json.JsonValueKind.Object } json)
        {
            if (json.TryGetProperty("indicators", out var list) && list.ValueKind == System.Text.Json.JsonValueKind.Object)
                foreach (var p in list.EnumerateObject())
                {
                    if (p.Value.ValueKind != System.Text.Json.JsonValueKind.Object || !p.Value.TryGetProperty("weight", out var w) || !w.TryGetDecimal(out var weight))
                        return Refused([new CampaignFault($"/indicators/{p.Name}/weight", CampaignFile.Faults.InvalidValue)], L);
                    decimal? target = p.Value.TryGetProperty("target", out var t) && t.TryGetDecimal(out var tv) ? tv : null;
                    Dictionary<string, decimal>? own = null;
                    if (p.Value.TryGetProperty("districtTargets", out var dt) && dt.ValueKind != System.Text.Json.JsonValueKind.Null)
                    {
                        if (dt.ValueKind != System.Text.Json.JsonValueKind.Object)
                            return Refused([new CampaignFault($"/indicators/{p.Name}/districtTargets", CampaignFile.Faults.InvalidValue)], L);
                        own = new Dictionary<string, decimal>(StringComparer.Ordinal);
                        foreach (var d in dt.EnumerateObject())
                        {
                            if (!d.Value.TryGetDecimal(out var dv))
                                return Refused([new CampaignFault($"/indicators/{p.Name}/districtTargets/{d.Name}", CampaignFile.Faults.InvalidValue)], L);
                            own[d.Name] = dv;
                        }
                    }
                    changes[p.Name] = new WeightAndTarget(weight, target, own);
                }
            decimal? Component(string name) => json.TryGetProperty(name, out var c) && c.TryGetDecimal(out var v) ? v : null;
            var (inspection, grades) = (Component("inspectionWeight"), Component("gradeWeight"));
            if (inspection is not null || grades is not null)
            {
                var now = await weights.ComponentsAsync(id, ct);
                components = new ComponentWeights(inspection ?? now.Inspection, grades ?? now.Grades);
            }
        }
        return await weights.ChangeAsync(id, changes, reason, http.User.Identity!.Name!, Channels.Api, components, ct: ct) switch
        {
            WeightsOutcome.Changed changed => Results.Ok(new { version = changed.Version }),
            WeightsOutcome.Refused refused => Refused(refused.Faults, L),
            _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Campaigns_Unknown"]),
        };
    }

    private static async Task<IResult> ExportXlsxAsync(int id, CampaignImport import, CancellationToken ct) =>
        await import.ExportAsync(id, ct) is { } file ? Results.File(CampaignWorkbook.Write(file), XlsxType, $"{file.Code}.xlsx") : Results.NotFound();

    private static async Task<IResult> ActivateAsync(int id, HttpContext http, CampaignLifecycle lifecycle, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
        await lifecycle.ActivateAsync(id, http.User.Identity!.Name!, Channels.Api, ct: ct) switch
        {
            ActivationOutcome.Activated or ActivationOutcome.AlreadyCurrent => Results.Ok(new { id, status = CampaignStatus.Active.ToString() }),
            ActivationOutcome.Closed => Results.Problem(statusCode: StatusCodes.Status409Conflict, title: L["Campaigns_ClosedStaysClosed"]),
            ActivationOutcome.Incomplete => Refused(await lifecycle.MissingForActivationAsync(id, ct), L),
            _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Campaigns_Unknown"]),
        };
}
