using LiveBoard.Web.Data;
using LiveBoard.Web.Api;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Authorization;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace LiveBoard.Web.Features.Display;

/// <summary>What <c>POST /api/v1/displays</c> accepts: a screen to set up by script.</summary>
public sealed record CreateDisplayRequest(string Name, string? Slug, IReadOnlyList<string>? Playlist, int? IntervalSeconds, string? PinnedPanel, string? Theme);

/// <summary>The new screen with its key and the full URL to open on the wall PC: the only time the key is returned.</summary>
public sealed record CreateDisplayResponse(string Slug, string Name, string Key, string Url);

public static class DisplayEndpoints
{
    public const int MaxNameLength = 100;
    public const int MaxSlugLength = 64;
    public static readonly string[] Themes = ["dark", "light"];

    public static void MapDisplayEndpoints(this WebApplication app) =>
        // Like the rest of the push API: bearer tokens only, organisers only; a display key never sets screens up.
        app.MapPost($"{ApiRoutes.Prefix}/displays", CreateAsync)
            .RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = IdentityConstants.BearerScheme, Policy = Policies.Organiser })
            .DisableAntiforgery().WithoutStatusCodePages();

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
