using System.Globalization;
using Bunit;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace LiveBoard.Web.Tests;

/// <summary>
/// bUnit over LiveBoard's real services and a real SQLite file with the Tongliao demo loaded, in Chinese.
/// xunit v2 calls <see cref="IAsyncLifetime.DisposeAsync"/>, which disposes the rendered components too.
/// </summary>
public abstract class SeededBunitContext : BunitContext, IAsyncLifetime
{
    private readonly string _db = TempPaths.NewDatabase();

    protected SeededBunitContext()
    {
        CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = CultureInfo.GetCultureInfo("zh-CN");
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddLogging();
        Services.AddLocalization(o => o.ResourcesPath = "Resources");
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        Services.AddLiveBoardCore($"Data Source={_db}");
    }

    public async Task InitializeAsync()
    {
        await using (var db = await Services.GetRequiredService<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync())
            await LiveBoardStorage.MigrateAsync(db);
        await Services.GetRequiredService<DemoSeeder>().SeedIfEmptyAsync(Path.Combine(AppContext.BaseDirectory, DemoSeeder.DemoFile));
    }

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();

    protected T Service<T>() where T : notnull => Services.GetRequiredService<T>();
}
