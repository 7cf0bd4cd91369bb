using Microsoft.Extensions.DependencyInjection.Extensions;
using System.Threading.RateLimiting;
using LiveBoard.Core.Ranking;
using LiveBoard.Web.Data;
using LiveBoard.Web.Diagnostics;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Features.Campaigns;
using LiveBoard.Web.Features.Inspection;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Features.Hub;
using LiveBoard.Web.Features.Reporting;
using LiveBoard.Web.Live;
using LiveBoard.Web.Api;
using LiveBoard.Web.Operations;
using LiveBoard.Core.Standings;
using LiveBoard.Web.Standings;
using LiveBoard.Web.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
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

        services.AddLiveBoardCore(LiveBoardStorage.Database(builder.Configuration));
        services.Configure<InspectionPageOptions>(builder.Configuration.GetSection(InspectionPageOptions.Section));
        builder.AddLiveBoardAccounts();
        builder.AddOpenNetworkSecurity();
        services.AddLiveHub();
        builder.AddLiveBoardScaleOut();
        services.AddStaticAssetCompression();
        services.AddOperations(builder.Configuration);
        return builder;
    }

    /// <summary>Identity on the same database, cookie sign-in for pages, bearer tokens for the API, policies, limits.</summary>
    public static WebApplicationBuilder AddLiveBoardAccounts(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var config = builder.Configuration;
        services.AddIdentity<LiveBoardUser, IdentityRole>(o =>
            {
                // MLPS 2.0 level 2: at least 8 characters with letters and digits; 5 failures lock for 15 minutes.
                o.Password.RequiredLength = 8;
                o.Password.RequireDigit = true;
                o.Password.RequireLowercase = false;
                o.Password.RequireUppercase = false;
                o.Password.RequireNonAlphanumeric = false;
                o.Lockout.MaxFailedAccessAttempts = 5;
                o.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
                o.Lockout.AllowedForNewUsers = true;
                // "Confirmed" means "not disabled" here (EnabledAccountConfirmation).
                o.SignIn.RequireConfirmedAccount = true;
                o.User.AllowedUserNameCharacters = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._@";
            })
            .AddEntityFrameworkStores<LiveBoardDbContext>()
            .AddPasswordValidator<LettersAndDigitsPasswordValidator>()
            .AddClaimsPrincipalFactory<LiveBoardClaimsFactory>();
        services.AddScoped<IUserConfirmation<LiveBoardUser>, EnabledAccountConfirmation>();
        services.ConfigureApplicationCookie(o =>
        {
            o.LoginPath = AccountEndpoints.LoginPath;
            o.LogoutPath = AccountEndpoints.LogoutPath;
            o.AccessDeniedPath = AccountEndpoints.DeniedPath;
            o.Cookie.Name = "liveboard.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Lax;
            // Idle timeout: the cookie expires this long after the last request that renewed it.
            o.ExpireTimeSpan = TimeSpan.FromMinutes(config.GetValue("LiveBoard:IdleTimeoutMinutes", 30d));
            o.SlidingExpiration = true;
        });
        services.AddAuthentication().AddBearerToken(IdentityConstants.BearerScheme, o =>
            o.BearerTokenExpiration = TimeSpan.FromMinutes(config.GetValue("LiveBoard:TokenLifetimeMinutes", 60)));
        services.AddAuthorizationBuilder().AddLiveBoardPolicies();
        services.AddSingleton<ActiveAccounts>();
        services.AddSingleton<IAuthorizationHandler, ActiveAccountHandler>();
        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, RevalidatingAccountStateProvider>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler, IdleSignOut>();
        services.AddDiagnostics(config);
        services.AddScoped<PasswordCheck>();
        services.AddSingleton<SignInThrottle>();
        SessionLifetime.Configure(services, config);
        services.AddScoped<WriteAccess>();
        services.AddScoped<DemoAccounts>();
        services.AddSingleton<FigureImport>();
        services.AddSingleton<UserAdmin>();
        // Disabling an account or resetting its password ends its browser sessions within a minute.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.AddProblemDetails();

        var authPerMinute = config.GetValue("LiveBoard:RateLimits:AuthPerMinute", 20);
        var writesPerMinute = config.GetValue("LiveBoard:RateLimits:WritesPerMinute", 120);
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            // Sign-in attempts per client address: slows password guessing across many accounts.
            o.AddPolicy(AccountEndpoints.AuthRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.Connection.RemoteIpAddress?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = authPerMinute, Window = TimeSpan.FromMinutes(1) }));
            // Writes per account (per address before sign-in is known): a runaway script cannot flood the history.
            o.AddPolicy(ApiRoutes.WriteRateLimit, http => RateLimitPartition.GetFixedWindowLimiter(
                http.User.Identity?.Name ?? http.Connection.RemoteIpAddress?.ToString() ?? "?",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = writesPerMinute, Window = TimeSpan.FromMinutes(1) }));
        });
        return builder;
    }

    public static WebApplication UseLiveBoardSecurity(this WebApplication app)
    {
        app.UseApiLimits();
        // The live hub authenticates by its own policy's schemes (a display key or a bearer token), whose principal replaces
        // whatever the default scheme found. Running the cookie scheme there as well kept a cookie handler and its result
        // alive for the life of each hub WebSocket (heap dumps: ~0.6 KB of each hub connection's 26.7 KB) and checked a
        // cookie on each of 10,000 reconnects after a restart, for nothing.
        app.UseWhen(http => !LiveHub.Serves(http.Request), branch => branch.UseAuthentication());
        // The branch marks only itself as authenticating: without the mark on the app, WebApplication adds its own
        // authentication middleware ahead of everything, for every path (dotnet/aspnetcore#48098; this is the key
        // UseAuthentication sets).
        ((IApplicationBuilder)app).Properties["__AuthenticationMiddlewareSet"] = true;
        app.UseWriteLog();
        app.UseAuthorization();
        app.UseRateLimiterStoppedWithTheApp();
        return app;
    }

    /// <summary>The data and domain services without the web front: what a component test needs.</summary>
    public static IServiceCollection AddLiveBoardCore(this IServiceCollection services, string connectionString) =>
        services.AddLiveBoardCore(LiveBoardDatabase.Sqlite(connectionString));

    /// <inheritdoc cref="AddLiveBoardCore(IServiceCollection, string)"/>
    public static IServiceCollection AddLiveBoardCore(this IServiceCollection services, LiveBoardDatabase database)
    {
        // Every context tells the in-process caches (campaign setup, account checks) when their rows are saved.
        services.AddSingleton<CachedRows>();
        services.AddSingleton<CachedRowsInterceptor>();
        // A write that lost a race to another instance and is retried is not logged as an error (RaceAwareErrorLogging).
        services.AddSingleton<RaceAwareErrorLogging>();
        services.AddSingleton(database);
        services.AddDbContextFactory<LiveBoardDbContext, LiveBoardContextFactory>((sp, o) => RaceAwareErrorLogging.Configure(o.Use(database)
            .AddInterceptors(sp.GetRequiredService<CachedRowsInterceptor>()), sp.GetRequiredService<RaceAwareErrorLogging>()));
        services.AddSingleton<CampaignSetupCache>();
        // Outside a web host (component tests, tools) settings are simply absent: every reader has a default.
        services.TryAddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<IChangeFeed, InProcessChangeFeed>();
        // The normalisation is a strategy: swap this line to rank by share of target instead.
        services.AddSingleton<INormalisation>(new EfficacyCoefficientNormalisation());
        services.AddSingleton<RankingEngine>();
        services.AddSingleton<StandingsComposer>();
        services.AddSingleton<CampaignStore>();
        services.AddCampaigns();
        services.AddSingleton<DemoSeeder>();
        services.AddSingleton<AuditLog>();
        services.AddSingleton<CampaignClock>();
        services.AddSingleton<ReportingStatus>();
        // The standings room: one load and one computation per change, one snapshot for every reader.
        services.AddSingleton<StandingsLoader>();
        services.AddSingleton<LiveStandings>();
        services.AddSingleton<FigureService>();
        services.AddSingleton<AuditQuery>();
        services.AddSingleton<InspectionService>();
        services.AddSingleton<SiteAdmin>();
        services.AddSingleton<DisplayService>();
        services.AddSingleton<ScreenFleet>();
        services.AddDisplayCircuits();
        services.AddSingleton<PublicationService>();
        // The meeting's state (current item, presenter) lives here: one process, one state per day.
        services.AddSingleton<MeetingService>();
        services.AddSingleton<BulletinService>();
        return services;
    }

    /// <summary>Migrates the database and, in demo mode (the default), loads the demo campaign into an empty one.</summary>
    public static async Task PrepareDatabaseAsync(this WebApplication app)
    {
        var factory = app.Services.GetRequiredService<IDbContextFactory<LiveBoardDbContext>>();
        StartupLog.WhenListening(app);
        await using (var db = await factory.CreateDbContextAsync())
        {
            var file = db.Database.GetDbConnection().DataSource;
            StartupLog.Database(app.Logger, file);
            await app.BeforeMigratingAsync(db);
            await LiveBoardStorage.MigrateAsync(db);
        }

        if (app.Configuration.GetValue("LiveBoard:Demo", true))
        {
            var path = app.Configuration["LiveBoard:DemoFile"] ?? Path.Combine(AppContext.BaseDirectory, DemoSeeder.DemoFile);
            await app.Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(path);
            StartupLog.DemoAccounts(app.Logger);
            await using var demoScope = app.Services.CreateAsyncScope();
            await demoScope.ServiceProvider.GetRequiredService<DemoAccounts>().EnsureAsync(DemoAccounts.Password(app.Configuration));
            await app.EnsureDemoScreenAsync();
        }
        await using var scope = app.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<DemoAccounts>().EnsureFirstOrganiserAsync(app.Configuration);
        await using (var db = await factory.CreateDbContextAsync())
            app.Services.GetRequiredService<CampaignClock>().Follow(await db.CurrentCampaignAsync());
    }

    public static WebApplication UseLiveBoardLocalization(this WebApplication app)
    {
        // Not for /hubs/live: its messages are culture-free JSON, and a culture set on the upgrade request stays in the
        // execution context of every send on that connection, where each switch into and out of it runs the culture's
        // change notification (about 1 % of the hub's CPU samples at 10,000 viewers; too small to show in the bench's
        // totals, but spent for nothing).
        app.UseWhen(http => !LiveHub.Serves(http.Request), branch => branch.UseRequestLocalization(o =>
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
        }).Use(RememberQueryCulture));
        return app;
    }

    // ?culture=en reaches the page's first request only: the circuit's own requests carry no query string, so the choice
    // goes into the language cookie too, or the page would turn Chinese again once it is interactive.
    private static Task RememberQueryCulture(HttpContext http, Func<Task> next)
    {
        if (http.Request.Query["culture"] is [{ } name] && Cultures.Supported.Contains(name))
            AppendCultureCookie(http, name);
        return next();
    }

    private static void AppendCultureCookie(HttpContext http, string name) =>
        http.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(name)),
            new CookieOptions { MaxAge = TimeSpan.FromDays(365), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });

    public static void MapLiveBoardEndpoints(this WebApplication app)
    {
        app.MapAccountEndpoints();
        app.MapReportingApi();
        app.MapAuditExport();
        app.MapImportTemplate();
        app.MapInspectionApi();
        app.MapMeetingApi();
        app.MapCampaignApi();
        // The organiser's page downloads the workbook with its sign-in cookie (the API takes bearer tokens only).
        app.MapGet(InspectionApi.ExportPath, InspectionApi.ExportAsync).RequireAuthorization(Policies.Organiser);
        app.MapOperations();
        app.MapLiveHub();
        app.MapDisplayEndpoints();
        app.MapDiagnosticsEndpoints();
        // Sets the language cookie and returns to the page; a full reload gives the circuit the new culture.
        app.MapGet("/culture/{name}", (string name, string? redirect, HttpContext http) =>
        {
            if (!Cultures.Supported.Contains(name)) return Results.BadRequest();
            AppendCultureCookie(http, name);
            var target = redirect is { Length: > 0 } r && r.StartsWith('/') && !r.StartsWith("//", StringComparison.Ordinal) ? r : "/";
            return Results.LocalRedirect(target);
        });
    }
}
