using System.Globalization;
using Bunit;
using Bunit.TestDoubles;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LiveBoard.Web.Tests;

/// <summary>
/// The one base for bUnit tests of pages: Chinese UI, loose JS interop, MudBlazor, the real LiveBoard services over
/// a fresh SQLite file with the demo campaign loaded. <see cref="Authorization"/> is registered up front (services
/// cannot be added after the first is resolved); a test sets the user on it.
/// </summary>
public abstract class DemoBunitContext : BunitContext, IAsyncLifetime
{
    private readonly string _db = TempPaths.NewDatabase();

    protected DemoBunitContext()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddLiveBoardCore($"Data Source={_db}");
        Authorization = AddAuthorization();
    }

    protected BunitAuthorizationContext Authorization { get; }

    public async Task InitializeAsync()
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            await LiveBoardStorage.MigrateAsync(db);
        await Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(Path.Combine(AppContext.BaseDirectory, DemoSeeder.DemoFile));
    }

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    protected T Service<T>() where T : notnull => Services.GetRequiredService<T>();
}
