using System.Text.Json.Serialization;

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
                return;
            }
            if (http.Request.Path.StartsWithSegments(CircuitCap.Path))
            {
                await circuits.HandleAsync(http, next);
                return;
            }
            await CircuitCap.RememberScreenAsync(http);
            await next(http);
        });
        return app;
    }
}
