using System.Globalization;
using System.Text.Json;
using LiveBoard.Core;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Meeting;
using Microsoft.Extensions.Localization;
using LiveBoard.Web.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Authorization;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveBoard.Web.Features.Display;

/// <summary>What <c>POST /api/v1/displays</c> accepts: a screen to set up by script.</summary>
public sealed record CreateDisplayRequest(string Name, string? Slug = null, IReadOnlyList<string>? Playlist = null, int? IntervalSeconds = null,
    string? PinnedPanel = null, string? Theme = null);

/// <summary>The new screen with its key and the full URL to open on the wall PC: the only time the key is returned.</summary>
public sealed record CreateDisplayResponse(string Slug, string Name, string Key, string Url);

public static class DisplayEndpoints
{
    public const int MaxNameLength = 100;
    public const int MaxSlugLength = 64;
    public static readonly string[] Themes = ["dark", "light"];

    public static void MapDisplayEndpoints(this WebApplication app)
    {
        // Like the rest of the push API: bearer tokens only, organisers only; a display key never sets screens up.
        app.MapPost($"{ApiRoutes.Prefix}/displays", CreateAsync)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = IdentityConstants.BearerScheme, Policy = Policies.Organiser })
            .DisableAntiforgery().WithoutStatusCodePages();
        app.MapApi().MapPut("/displays/{slug}/mode", SetModeAsync).RequireAuthorization(Policies.Organiser).RequireRateLimiting(ApiRoutes.WriteRateLimit);
    }

    /// <summary>
    /// <c>PUT /api/v1/displays/{slug}/mode</c> with <c>{"mode":"meeting","day":"yyyy-MM-dd"}</c> or <c>{"mode":"playlist"}</c>:
    /// the screen follows that day's review meeting while it runs, or plays its playlist only. Setting the mode it
    /// already has changes nothing, so a retry is harmless without an idempotency key.
    /// </summary>
    public static async Task<IResult> SetModeAsync(string slug, HttpContext http, DisplayService displays, IStringLocalizer<SharedResource> L, CancellationToken ct)
    {
        var (body, problem) = await ApiRequests.ReadJsonAsync(http);
        if (problem is not null) return problem;
        if (body is not { ValueKind: JsonValueKind.Object } json)
            return Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: L["Api_ObjectExpected"]);
        var mode = json.TryGetProperty("mode", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        DateOnly? day = null;
        if (mode == "meeting")
        {
            var text = json.TryGetProperty("day", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
            if (MeetingDay.Parse(text) is not { } parsed)
                return Results.ValidationProblem(new Dictionary<string, string[]> { ["day"] = [L["Api_DateExpected"]] });
            day = parsed;
        }
        else if (mode != "playlist")
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["mode"] = [L["Display_ModeExpected"]] });
        var screen = await displays.SetModeAsync(slug, day, http.User.Identity!.Name!, Channels.Api, ct);
        return screen is null
            ? Results.Problem(statusCode: StatusCodes.Status404NotFound, title: L["Display_UnknownScreen"])
            : Results.Ok(new { screen.Slug, Mode = day is null ? "playlist" : "meeting", Day = day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) });
    }

    public static async Task<Results<Created<CreateDisplayResponse>, ValidationProblem>> CreateAsync(
        CreateDisplayRequest request, DisplayService displays, HttpRequest http, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request.Name)) errors["name"] = ["required"];
        else if (request.Name.Length > MaxNameLength) errors["name"] = [$"at most {MaxNameLength} characters"];
        if (request.Slug is { Length: > MaxSlugLength }) errors["slug"] = [$"at most {MaxSlugLength} characters"];
        if (request.Theme is { } theme && !Themes.Contains(theme)) errors["theme"] = [$"one of {string.Join(", ", Themes)}"];
        if (request.Playlist?.FirstOrDefault(p => !PanelIds.IsKnown(p)) is { } bad) errors["playlist"] = [$"unknown panel '{bad}'"];
        if (request.PinnedPanel is { } pinned && !PanelIds.IsKnown(pinned)) errors["pinnedPanel"] = [$"unknown panel '{pinned}'"];
        if (errors.Count > 0) return TypedResults.ValidationProblem(errors);

        var created = await displays.CreateAsync(new NewScreen(request.Name, request.Slug, request.Playlist,
            request.IntervalSeconds ?? 20, request.PinnedPanel, request.Theme ?? "dark"), ct: ct);
        var url = $"{http.Scheme}://{http.Host}{http.PathBase}{created.RelativeUrl}";
        return TypedResults.Created($"{ApiRoutes.Prefix}/displays/{created.Screen.Slug}",
            new CreateDisplayResponse(created.Screen.Slug, created.Screen.Name, created.Key, url));
    }
}
