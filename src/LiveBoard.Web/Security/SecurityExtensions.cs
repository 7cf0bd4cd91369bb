using System.Text.Json.Serialization;
using Microsoft.AspNetCore.HttpOverrides;
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
    /// <summary>Reverse proxies on other machines whose X-Forwarded-For is believed (comma-separated addresses); one on this machine always is.</summary>
    public const string TrustedProxiesSetting = "LiveBoard:TrustedProxies";

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
        services.Configure<Microsoft.AspNetCore.Components.Server.CircuitOptions>(CircuitRetention.Apply);
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

    /// <summary>Before everything that answers: the headers go on every response (SecurityHeaders), refused origins never reach a hub.</summary>
    public static WebApplication UseOpenNetworkSecurity(this WebApplication app)
    {
        // Behind nginx every request comes from 127.0.0.1: the client's own address (for the per-address caps and
        // throttles, the audit, and who counts as "this machine") is the one the proxy puts in X-Forwarded-For. Believed
        // from a proxy on this machine (the framework's default) or one listed in LiveBoard:TrustedProxies, never from
        // anyone else, and only the address the last proxy saw (a client can prepend whatever it likes).
        var forwarded = new ForwardedHeadersOptions { ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto };
        foreach (var proxy in (app.Configuration[TrustedProxiesSetting] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
        app.UseForwardedHeaders(forwarded);
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
            http.Response.OnStarting(static state =>
            {
                SecurityHeaders.Apply((HttpContext)state);
                return Task.CompletedTask;
            }, http);
            if (OriginCheck.IsLive(http.Request.Path) && !origins.Allows(http.Request))
            {
                http.Response.StatusCode = StatusCodes.Status403Forbidden;
                refusals.Record(http, RefusalReasons.ForeignOrigin);
                return;
            }
            if (http.Request.Path.StartsWithSegments(CircuitCap.Path))
                await circuits.HandleAsync(http, next);
            else
            {
                await CircuitCap.RememberScreenAsync(http);
                await next(http);
            }
            if (!RefusedAttempts.IsRecorded(http) && RefusalReason(http) is { } reason)
                refusals.Record(http, reason, reason == RefusalReasons.PageDenied ? DeniedPage(http) : null);
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
        StatusCodes.Status429TooManyRequests => http.Request.Path.StartsWithSegments(CircuitCap.Path) ? RefusalReasons.TooManyPages : RefusalReasons.RateLimited,
        StatusCodes.Status200OK when HttpMethods.IsGet(http.Request.Method) && http.Request.Path.Equals(AccountEndpoints.DeniedPath, StringComparison.OrdinalIgnoreCase)
            => RefusalReasons.PageDenied,
        _ => null,
    };

    /// <summary>The denied page names the page that was refused (the cookie handler's and RedirectToLogin's ReturnUrl).</summary>
    private static string? DeniedPage(HttpContext http) =>
        http.Request.Query[AccountEndpoints.ReturnUrlParameter].ToString() is { Length: > 0 } refused ? refused : null;
}
