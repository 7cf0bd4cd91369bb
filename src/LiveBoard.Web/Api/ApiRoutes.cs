using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Identity;

namespace LiveBoard.Web.Api;

/// <summary>
/// The shared plumbing of the push API (/api/v1): its route group, body limit, rate-limit names and plain status codes.
/// Each feature maps its own endpoints on <see cref="MapApi"/>.
/// </summary>
public static class ApiRoutes
{
    public const string Prefix = "/api/v1";
    /// <summary>The rate-limit policy for API writes (per account).</summary>
    public const string WriteRateLimit = "writes";
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The /api/v1 group for scripts: bearer tokens only, so a browser's cookie cannot be replayed against it.</summary>
    public static RouteGroupBuilder MapApi(this IEndpointRouteBuilder app) =>
        app.MapGroup(Prefix).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = IdentityConstants.BearerScheme });

    /// <summary>The /api/v1 group without authentication (the token endpoint).</summary>
    public static RouteGroupBuilder MapPublicApi(this IEndpointRouteBuilder app) => app.MapGroup(Prefix);

    /// <summary>Body size limit and plain status codes (no HTML status pages) for everything under /api.</summary>
    public static WebApplication UseApiLimits(this WebApplication app)
    {
        // Everything else passes straight on, without an async frame of this middleware held for the request's life (a
        // hub connection's).
        app.Use((http, next) => http.Request.Path.StartsWithSegments("/api") ? LimitedAsync(http, next) : next(http));
        return app;

        static async Task LimitedAsync(HttpContext http, RequestDelegate next)
        {
            if (http.Features.Get<IStatusCodePagesFeature>() is { } pages) pages.Enabled = false;
            if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size) size.MaxRequestBodySize = MaxBodyBytes;
            if (http.Request.ContentLength > MaxBodyBytes)
            {
                await TooLarge(http).ExecuteAsync(http);
                return;
            }
            if (await JsonBodies.CheckAsync(http) is { } refused)
            {
                await refused.ExecuteAsync(http);
                return;
            }
            await next(http);
        }
    }

    /// <summary>
    /// 413, and the connection closed after it: the rest of the body is never read, so the connection cannot carry another
    /// request, and a client told so does not send its next one into a closing socket.
    /// </summary>
    public static IResult TooLarge(HttpContext http)
    {
        http.Response.Headers.Connection = "close";
        return Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large");
    }

    /// <summary>An endpoint that reads a body other than JSON (a workbook): the JSON checks of every other write leave it alone.</summary>
    public static TBuilder WithRawBody<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RawBodyMetadata());

    /// <summary>
    /// For endpoints machines call (API, hub): a 401/403/404 must reach the caller as such, not be re-executed into
    /// the HTML not-found page (which, for a POST, even turns into a 400 from antiforgery).
    /// </summary>
    public static TBuilder WithoutStatusCodePages<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute());
}
