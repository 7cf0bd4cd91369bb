using System.Globalization;
using System.Security.Claims;
using Bunit;
using Bunit.TestDoubles;
using LiveBoard.Testing;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
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
        // What a page asks at the moment of a write (WriteAccess): is the account still the one that signed in.
        Services.AddSingleton<ActiveAccounts>();
        Services.AddScoped<WriteAccess>();
        Services.AddScoped(_ => new ClientAddress { Value = Address });
        // Accounts as organisers manage them from a page (the campaign editor's observer accounts): the real stores on the same file.
        Services.AddIdentityCore<LiveBoardUser>().AddRoles<IdentityRole>().AddEntityFrameworkStores<LiveBoardDbContext>();
        Services.AddSingleton<LiveBoard.Web.Features.Admin.UserAdmin>();
        Authorization = AddAuthorization();
    }

    /// <summary>The page's client address (a documentation address: no real client has it).</summary>
    public const string Address = "192.0.2.20";

    protected BunitAuthorizationContext Authorization { get; }

    /// <summary>
    /// Signs the page's user in as the real sign-in does, with the account's id and security stamp among the claims: a
    /// page asks for them again at each write. The account row is made here (without a password: nobody types one).
    /// </summary>
    protected void SignIn(string user, string role, params Claim[] claims)
    {
        var options = new IdentityOptions().ClaimsIdentity;
        using var db = Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContext();
        var account = db.Users.SingleOrDefault(u => u.UserName == user);
        if (account is null)
        {
            account = new LiveBoardUser { UserName = user, NormalizedUserName = user.ToUpperInvariant(), SecurityStamp = Guid.NewGuid().ToString("N") };
            db.Users.Add(account);
            db.SaveChanges();
        }
        Authorization.SetAuthorized(user);
        Authorization.SetRoles(role);
        Authorization.SetClaims([new Claim(options.UserIdClaimType, account.Id), new Claim(options.SecurityStampClaimType, account.SecurityStamp!), .. claims]);
    }

    /// <summary>Disables the account as an organiser does (a new security stamp too), while its pages stay open.</summary>
    protected async Task DisableAsync(string user)
    {
        await using var db = await Service<IDbContextFactory<LiveBoardDbContext>>().CreateDbContextAsync();
        var account = await db.Users.SingleAsync(u => u.UserName == user);
        account.Disabled = true;
        account.SecurityStamp = Guid.NewGuid().ToString("N");
        await db.SaveChangesAsync();
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
