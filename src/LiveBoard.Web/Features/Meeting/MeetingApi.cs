using System.Text;
using System.Text.Json;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Api;
using LiveBoard.Core;
using LiveBoard.Web.Data;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Meeting;

/// <summary>
/// The published ranking's API (/api/v1/rankings) and the bulletin workbook. Same conventions as the rest of the API (<see cref="ApiRoutes"/>):
/// bearer tokens, problem+json. The workbook is also served on a cookie path for the bulletin page's download link.
/// </summary>
public static class MeetingApi
{
    public const string BulletinXlsxPath = "/meeting/{day}/bulletin.xlsx";

    public static void MapMeetingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApi();
        api.MapPost("/rankings/publish", PublishAsync).RequireAuthorization(Policies.Organiser).RequireRateLimiting(ApiRoutes.WriteRateLimit);
        api.MapGet("/rankings/published", async (PublicationService publications, CancellationToken ct) =>
            Results.Ok(await publications.ListAsync(ct))).RequireAuthorization(Policies.ReadAll);
        api.MapGet("/rankings/published/{id:int}", async (int id, PublicationService publications, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
            await publications.DocumentAsync(id, ct) is { } document
                // The stored text itself, not a re-serialisation: identical bytes on every read.
                ? Results.Text(document, "application/json", Encoding.UTF8)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Publish_Unknown"])).RequireAuthorization(Policies.ReadAll);
        api.MapGet("/meeting/{day}/bulletin.xlsx", BulletinAsync).RequireAuthorization(Policies.ReadAll);
        app.MapGet(BulletinXlsxPath, BulletinAsync).RequireAuthorization(Policies.ReadAll);
    }

    private static async Task<IResult> PublishAsync(HttpContext http, PublicationService publications, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        DateOnly? day = null;
        string? note = null;
        var body = JsonDocument.Parse("{}").RootElement;
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
                body = json.RootElement.Clone();
                if (body.ValueKind != JsonValueKind.Object) return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Api_ObjectExpected"]);
                if (body.TryGetProperty("day", out var d) && d.ValueKind != JsonValueKind.Null)
                {
                    if (d.ValueKind != JsonValueKind.String || MeetingDay.Parse(d.GetString()) is not { } parsed)
                        return Results.ValidationProblem(new Dictionary<string, string[]> { ["day"] = [L["Api_DateExpected"]] });
                    day = parsed;
                }
                if (body.TryGetProperty("note", out var n) && n.ValueKind != JsonValueKind.Null)
                {
                    if (n.ValueKind != JsonValueKind.String) return Results.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [L["Api_TextExpected"]] });
                    note = n.GetString();
                }
            }
            catch (JsonException)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Api_ObjectExpected"]);
            }
        }
        if (note is { Length: > 1000 })
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [L["Sites_TooLong"]] });
        // The key is optional here: a publication is one deliberate act, but a script on a poor line may still retry it.
        Idempotency? key = null;
        if (http.Request.Headers.ContainsKey(ApiRequests.IdempotencyHeader))
        {
            (key, var keyProblem) = ApiRequests.ReadIdempotency(http, IdempotencyScopes.Publications, body, L);
            if (keyProblem is not null) return keyProblem;
        }
        IResult Created(PublicationSummary? p) => Results.Created($"{ApiRoutes.Prefix}/rankings/published/{p!.Id}", new { p.Id, p.Version });
        return await publications.PublishAsync(day, note, http.User.Identity!.Name!, Channels.Api, key, ct) switch
        {
            PublishOutcome.Published published => Created(published.Summary),
            PublishOutcome.Repeated repeated => ApiRequests.Replay<PublicationSummary>(repeated.Record, key!, Created, L),
            _ => Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["NoCampaign"]),
        };
    }

    /// <param name="campaign">an earlier campaign's id (?campaign=, the archive's bulletin); none: the current campaign's.</param>
    private static async Task<IResult> BulletinAsync(string day, int? campaign, BulletinService bulletins, CancellationToken ct)
    {
        if (MeetingDay.Parse(day) is not { } date) return Results.NotFound();
        var bytes = await bulletins.WorkbookAsync(date, campaign, ct);
        return bytes is null ? Results.NotFound()
            : Results.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                campaign is { } id ? $"bulletin-{id}-{day}.xlsx" : $"bulletin-{day}.xlsx");
    }
}
