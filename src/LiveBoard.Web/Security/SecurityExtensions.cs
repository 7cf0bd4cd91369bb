using System.Text.Json.Serialization;
using LiveBoard.Core;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace LiveBoard.Web.Security;

/// <summary>
/// Hardening for the open network (docs/security.md): origin checks on the live connections, security headers, HTTPS
/// when <c>LiveBoard:Https</c> is on, strict JSON numbers.
/// </summary>
public static class SecurityExtensions
{
    public const string HttpsSetting = "LiveBoard:Https";

    public static WebApplicationBuilder AddOpenNetworkSecurity(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<OriginCheck>();
        services.AddSingleton<CircuitCap>();
        services.AddSingleton<RefusedAttempts>();
        services.AddHostedService<RefusedAttemptsWriter>();
        services.AddHttpContextAccessor();
        services.AddScoped<ClientAddress>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, ClientAddressCircuitHandler>();
        // A page whose connection dropped keeps its circuit for a minute (a phone switching networks, a wall display
        // reconnecting) and at most 100 such circuits are kept: an abandoned tab's memory returns within a minute, not
        // three (the framework's default), and a flood of dropped connections cannot pile up circuits.
        services.Configure<Microsoft.AspNetCore.Components.Server.CircuitOptions>(o =>
        {
            o.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(1);
            o.DisconnectedCircuitMaxRetained = 100;
        });
        // A number is a JSON number: "18" in quotes is refused where a number is bound, as the hand-read bodies refuse it.
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict);
        if (builder.Configuration.GetValue(HttpsSetting, false))
        {
            services.AddHsts(o =>
            {
                o.MaxAge = TimeSpan.FromDays(365);
                o.IncludeSubDomains = false;
            });
            services.ConfigureApplicationCookie(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
            services.AddAntiforgery(o => o.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        }
        return builder;
    }

    /// <summary>Before everything that answers: the headers go on every response, refused origins never reach a hub.</summary>
    public static WebApplication UseOpenNetworkSecurity(this WebApplication app)
    {
        if (app.Configuration.GetValue(HttpsSetting, false))
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }
        var origins = app.Services.GetRequiredService<OriginCheck>();
        var circuits = app.Services.GetRequiredService<CircuitCap>();
        var refusals = app.Services.GetRequiredService<RefusedAttempts>();
        app.Use(async (http, next) =>
        {
            http.Response.OnStarting(() =>
            {
                SecurityHeaders.Apply(http);
                return Task.CompletedTask;
            });
            if (OriginCheck.IsLive(http.Request.Path) && !origins.Allows(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                Audit(refusals, http, RefusalReasons.ForeignOrigin);
                return;
            }
            if (http.Request.Path.StartsWithSegments(CircuitCap.Path))
                await circuits.HandleAsync(http, next);
            else
            {
                await CircuitCap.RememberScreenAsync(http);
                await next(http);
            }
            if (RefusalReason(http) is { } reason) Audit(refusals, http, reason);
        });
        return app;
    }

    /// <summary>
    /// Why this answered request was a refusal, or null. Read after the rest of the pipeline ran, so that the account
    /// (when there was one) is known. A 401 from an endpoint open to anyone is that endpoint's own answer about
    /// credentials (the token sign-in), which audits itself.
    /// </summary>
    private static string? RefusalReason(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status401Unauthorized when http.GetEndpoint()?.Metadata.GetMetadata<IAllowAnonymous>() is null => RefusalReasons.Unauthenticated,
        StatusCodes.Status403Forbidden => RefusalReasons.Forbidden,
        StatusCodes.Status429TooManyRequests when http.Request.Path.StartsWithSegments(CircuitCap.Path) => RefusalReasons.TooManyPages,
        StatusCodes.Status200OK when HttpMethods.IsGet(http.Request.Method) && http.Request.Path.Equals(AccountEndpoints.DeniedPath, StringComparison.OrdinalIgnoreCase)
            => RefusalReasons.PageDenied,
        _ => null,
    };

    private static void Audit(RefusedAttempts refusals, HttpContext http, string reason)
    {
        var request = http.Request;
        // The denied page names the page that was refused (the cookie handler's and RedirectToLogin's ReturnUrl).
        var path = reason == RefusalReasons.PageDenied && request.Query[AccountEndpoints.ReturnUrlParameter].ToString() is { Length: > 0 } refused
            ? refused
            : request.Path.ToString();
        var channel = request.Path.StartsWithSegments("/api") || request.Path.StartsWithSegments("/hubs") ? Channels.Api : Channels.Web;
        refusals.Record(http.Connection.RemoteIpAddress?.ToString(), path, reason, http.User.Identity?.Name, channel);
    }
}
