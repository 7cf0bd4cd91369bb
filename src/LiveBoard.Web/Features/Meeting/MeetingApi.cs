using System.Text;
using System.Text.Json;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Reporting;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Meeting;

/// <summary>
/// The published ranking's API (/api/v1/rankings) and the bulletin workbook. Same conventions as <see cref="ReportingApi"/>:
/// bearer tokens, problem+json. The workbook is also served on a cookie path for the bulletin page's download link.
/// </summary>
public static class MeetingApi
{
    public const string BulletinXlsxPath = "/meeting/{day}/bulletin.xlsx";

    public static void MapMeetingApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup(ReportingApi.Prefix)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = IdentityConstants.BearerScheme });
        api.MapPost("/rankings/publish", PublishAsync).RequireAuthorization(Policies.Organiser).RequireRateLimiting(ReportingApi.WriteRateLimit);
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
        if (http.Request.ContentLength is > 0 || http.Request.Headers.TransferEncoding.Count > 0)
        {
            try
            {
                using var json = await JsonDocument.ParseAsync(http.Request.Body, cancellationToken: ct);
                var root = json.RootElement;
                if (root.TryGetProperty("day", out var d) && d.ValueKind == JsonValueKind.String)
                {
                    if (MeetingDay.Parse(d.GetString()) is not { } parsed)
                        return Results.ValidationProblem(new Dictionary<string, string[]> { ["day"] = [L["Api_DateExpected"]] });
                    day = parsed;
                }
                if (root.TryGetProperty("note", out var n) && n.ValueKind == JsonValueKind.String) note = n.GetString();
            }
            catch (JsonException)
            {
                return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Api_ObjectExpected"]);
            }
        }
        if (note is { Length: > 1000 })
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["note"] = [L["Sites_TooLong"]] });
        var published = await publications.PublishAsync(day, note, http.User.Identity!.Name!, AuditChannels.Api, ct);
        return published is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["NoCampaign"])
            : Results.Created($"{ReportingApi.Prefix}/rankings/published/{published.Id}", new { published.Id, published.Version });
    }

    private static async Task<IResult> BulletinAsync(string day, BulletinService bulletins, CancellationToken ct)
    {
        if (MeetingDay.Parse(day) is not { } date) return Results.NotFound();
        var bytes = await bulletins.WorkbookAsync(date, ct);
        return bytes is null ? Results.NotFound()
            : Results.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"bulletin-{day}.xlsx");
    }
}
