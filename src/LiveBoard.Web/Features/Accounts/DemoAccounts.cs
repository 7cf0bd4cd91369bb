using LiveBoard.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Accounts;

/// <summary>
/// Demo mode's accounts: organiser, leader, one reporter per district, three observers per touring group,
/// all with the password from LIVEBOARD_DEMO_PASSWORD (default <see cref="DefaultPassword"/>).
/// Outside demo mode nothing here runs, so no account with a known password exists.
/// </summary>
public sealed partial class DemoAccounts(UserManager<LiveBoardUser> users, RoleManager<IdentityRole> roles,
    IDbContextFactory<LiveBoardDbContext> dbFactory, LiveBoardDbContext identityDb, ILogger<DemoAccounts> log)
{
    public const string PasswordVariable = "LIVEBOARD_DEMO_PASSWORD";
    public const string DefaultPassword = "Tongliao2023";
    public const string Organiser = "organiser";
    public const string Leader = "leader";
    public static string Reporter(string districtCode) => $"reporter-{districtCode}";

    public static string Password(IConfiguration configuration) =>
        configuration[PasswordVariable] is { Length: > 0 } p ? p : DefaultPassword;

    public async Task EnsureAsync(string password)
    {
        // One transaction on the context the identity stores of this scope write through: each account is several
        // commits, and on SQLite each commit waits for the disk (the twenty demo accounts took ~0.3 s of every first start).
        await using var transaction = await identityDb.Database.BeginTransactionAsync();
        var created = await CreateMissingAsync(password);
        await transaction.CommitAsync();
        if (created > 0) LogDemoAccountsCreated(log, created);
    }

    private async Task<int> CreateMissingAsync(string password)
    {
        foreach (var role in Roles.All)
            if (!await roles.RoleExistsAsync(role))
                Check(await roles.CreateAsync(new IdentityRole(role)));

        await using var db = await dbFactory.CreateDbContextAsync();
        var campaign = await db.Campaigns.AsNoTracking().Include(c => c.Districts).Include(c => c.TouringGroups)
            .Current().FirstOrDefaultAsync();
        var wanted = new List<(LiveBoardUser User, string Role)>
        {
            (new LiveBoardUser { UserName = Organiser, DisplayName = "演示组织者" }, Roles.Organiser),
            (new LiveBoardUser { UserName = Leader, DisplayName = "演示领导" }, Roles.Leader),
        };
        foreach (var d in (campaign?.Districts ?? []).OrderBy(d => d.SortOrder))
            wanted.Add((new LiveBoardUser { UserName = Reporter(d.Code), DisplayName = d.Name + "填报员", DistrictCode = d.Code }, Roles.Reporter));
        foreach (var line in new[] { "south", "north" })
        {
            var group = campaign?.TouringGroups.FirstOrDefault(g => g.Code == line);
            for (var n = 1; n <= 3; n++)
                wanted.Add((new LiveBoardUser { UserName = $"observer-{line}-{n}", DisplayName = $"{group?.Name ?? line} {n}", TouringGroupCode = group?.Code }, Roles.Observer));
        }

        // One hash for the shared demo password: hashing is deliberately slow and all demo accounts share it anyway.
        string? hash = null;
        var created = 0;
        foreach (var (user, role) in wanted)
        {
            if (await users.FindByNameAsync(user.UserName!) is not null) continue;
            if (hash is null)
            {
                foreach (var validator in users.PasswordValidators)
                    Check(await validator.ValidateAsync(users, user, password));
                hash = users.PasswordHasher.HashPassword(user, password);
            }
            user.PasswordHash = hash;
            Check(await users.CreateAsync(user));
            Check(await users.AddToRoleAsync(user, role));
            created++;
        }
        return created;
    }

    /// <summary>
    /// Accounts that demo mode would have made (by name; the configured first organiser excepted) or whose password is a
    /// demo password (the default or LIVEBOARD_DEMO_PASSWORD): what must not remain once demo mode is off.
    /// </summary>
    public async Task<List<string>> LeftoversAsync(IConfiguration configuration)
    {
        var firstOrganiser = configuration["LiveBoard:Organiser:UserName"];
        var passwords = new[] { DefaultPassword, Password(configuration) }.Distinct().ToList();
        var found = new List<string>();
        var all = await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync();
        // Demo accounts share one hash: each distinct hash is checked once (hashing is slow on purpose).
        var demoHashes = all.Where(u => u.PasswordHash is not null).GroupBy(u => u.PasswordHash!)
            .Where(g => passwords.Any(p => users.PasswordHasher.VerifyHashedPassword(g.First(), g.Key, p) != PasswordVerificationResult.Failed))
            .Select(g => g.Key).ToHashSet();
        foreach (var user in all)
        {
            var name = user.UserName ?? "";
            if (user.PasswordHash is { } hash && demoHashes.Contains(hash)) found.Add($"{name} (demo password)");
            else if (!user.Disabled && name != firstOrganiser && IsDemoName(name)) found.Add(name);
        }
        return found;
    }

    private static bool IsDemoName(string name) =>
        name is Organiser or Leader || DemoName().IsMatch(name);

    [System.Text.RegularExpressions.GeneratedRegex("^(reporter-[a-z]+|observer-(south|north)-[1-3])$")]
    private static partial System.Text.RegularExpressions.Regex DemoName();

    /// <summary>
    /// Outside demo mode the first organiser comes from LiveBoard:Organiser:UserName and LiveBoard:Organiser:Password
    /// (e.g. env LiveBoard__Organiser__Password), created once if missing; the password must meet the policy.
    /// </summary>
    public async Task EnsureFirstOrganiserAsync(IConfiguration configuration)
    {
        if (configuration["LiveBoard:Organiser:UserName"] is not { Length: > 0 } name
            || configuration["LiveBoard:Organiser:Password"] is not { Length: > 0 } password) return;
        if (!await roles.RoleExistsAsync(Roles.Organiser))
            foreach (var role in Roles.All) Check(await roles.CreateAsync(new IdentityRole(role)));
        if (await users.FindByNameAsync(name) is not null) return;
        var user = new LiveBoardUser { UserName = name, DisplayName = name };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, Roles.Organiser));
        LogFirstOrganiserCreated(log, name);
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
            throw new InvalidOperationException("Demo accounts: " + string.Join("; ", result.Errors.Select(e => e.Description)));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo mode: created {Count} demo accounts")]
    private static partial void LogDemoAccountsCreated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the first organiser account {Name}")]
    private static partial void LogFirstOrganiserCreated(ILogger logger, string name);
}
