using LiveBoard.Core.Ranking;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Overview;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using Microsoft.AspNetCore.Localization;
using Microsoft.EntityFrameworkCore;
using MudBlazor.Services;

namespace LiveBoard.Web;

/// <summary>All of LiveBoard's registrations and start-up steps, so Program.cs reads as the whole app.</summary>
public static class LiveBoardExtensions
{
    public static WebApplicationBuilder AddLiveBoard(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddMudServices();
        services.AddLocalization(o => o.ResourcesPath = "Resources");

        services.AddLiveBoardCore(LiveBoardStorage.ConnectionString(builder.Configuration));
        services.AddLiveHub();
        services.AddDisplayPolicies();
        return builder;
    }

    /// <summary>The data and domain services without the web front: what a component test needs.</summary>
    public static IServiceCollection AddLiveBoardCore(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextFactory<LiveBoardDbContext>(o => o.UseSqlite(connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IChangeFeed, InProcessChangeFeed>();
        // The normalisation is a strategy: swap this line to rank by share of target instead.
        services.AddSingleton<INormalisation>(new EfficacyCoefficientNormalisation());
        services.AddSingleton<RankingEngine>();
        services.AddSingleton<CampaignStore>();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<FigureService>();
        services.AddSingleton<OverviewService>();
        services.AddSingleton<DisplayService>();
        services.AddSingleton<DisplayDataService>();
        services.AddSingleton<ScreenFleet>();
        return services;
    }

    /// <summary>Migrates the database and, in demo mode (the default), loads the demo campaign into an empty one.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<LiveBoardDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
            await LiveBoardStorage.MigrateAsync(db);

        if (app.Configuration.GetValue("LiveBoard:Demo", true))
        {
            var path = app.Configuration["LiveBoard:DemoFile"] ?? Path.Combine(AppContext.BaseDirectory, DemoSeeder.DemoFile);
            await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(path);
            await app.EnsureDemoScreenAsync();
        }
    }

    public static WebApplication UseLiveBoardLocalization(this WebApplication app)
    {
        app.UseRequestLocalization(o =>
        {
            o.SetDefaultCulture(Cultures.Chinese)
                .AddSupportedCultures(Cultures.Supported)
                .AddSupportedUICultures(Cultures.Supported);
            // Chinese unless the user chose otherwise: a wall PC with an English browser still shows Chinese.
            o.RequestCultureProviders =
            [
                new QueryStringRequestCultureProvider(),
                new CookieRequestCultureProvider(),
            ];
        });
        return app;
    }

    /// <summary>
    /// For endpoints machines call (API, hub): a 401/403/404 must reach the caller as such, not be re-executed into
    /// the HTML not-found page (which, for a POST, even turns into a 400 from antiforgery).
    /// </summary>
    public static TBuilder WithoutStatusCodePages<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new Microsoft.AspNetCore.Mvc.SkipStatusCodePagesAttribute());

    public static void MapLiveBoardEndpoints(this WebApplication app)
    {
        app.MapGet("/healthz", () => Results.Text("ok"));
        app.MapLiveHub();
        app.MapDisplayEndpoints();
        // Sets the language cookie and returns to the page; a full reload gives the circuit the new culture.
        app.MapGet("/culture/{name}", (string name, string? redirect, HttpContext http) =>
        {
            if (!Cultures.Supported.Contains(name)) return Results.BadRequest();
            http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(name)),
                new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
            var target = redirect is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/";
            return Results.LocalRedirect(target);
        });
    }
}
