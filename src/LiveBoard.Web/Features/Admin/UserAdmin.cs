using LiveBoard.Core;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Admin;

public sealed record UserSummary(string Id, string UserName, string DisplayName, string? Role, string? DistrictCode, string? TouringGroupCode,
    bool Disabled, DateTimeOffset? LockedUntil);

public sealed record NewUser(string UserName, string DisplayName, string Role, string? DistrictCode, string? TouringGroupCode, string Password);

/// <summary>
/// What organisers do to accounts: create and bind them, disable and enable, reset passwords, unlock. Each call
/// runs in its own scope (a page's circuit must not hold a DbContext for its lifetime) and is audited.
/// </summary>
public sealed class UserAdmin(IServiceScopeFactory scopes, AuditLog audit)
{
    public async Task<IReadOnlyList<UserSummary>> ListAsync()
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();
        var list = new List<UserSummary>();
        foreach (var u in await users.Users.AsNoTracking().OrderBy(u => u.UserName).ToListAsync())
            list.Add(new UserSummary(u.Id, u.UserName!, u.DisplayName, (await users.GetRolesAsync(u)).FirstOrDefault(), u.DistrictCode,
                u.TouringGroupCode, u.Disabled, u.LockoutEnd > DateTimeOffset.UtcNow ? u.LockoutEnd : null));
        return list;
    }

    /// <returns>Error messages; empty on success.</returns>
    /// <param name="from">the organiser's client address, kept on the audit row (as on every method here)</param>
    public async Task<IReadOnlyList<string>> CreateAsync(NewUser user, string organiser, string? from = null)
    {
        if (!Roles.All.Contains(user.Role)) return ["Unknown role"];
        // A reporter writes for exactly one district; nobody else is bound to one.
        if ((user.Role == Roles.Reporter) != (user.DistrictCode is { Length: > 0 })) return ["Reporter needs exactly one district"];
        if ((user.Role == Roles.Observer) != (user.TouringGroupCode is { Length: > 0 })) return ["Observer needs a touring group"];
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();
        var account = new LiveBoardUser
        {
            UserName = user.UserName.Trim(), DisplayName = user.DisplayName.Trim(),
            DistrictCode = user.Role == Roles.Reporter ? user.DistrictCode : null,
            TouringGroupCode = user.Role == Roles.Observer ? user.TouringGroupCode : null,
        };
        var created = await users.CreateAsync(account, user.Password);
        if (!created.Succeeded) return created.Errors.Select(e => e.Description).ToList();
        var role = await users.AddToRoleAsync(account, user.Role);
        if (!role.Succeeded) return role.Errors.Select(e => e.Description).ToList();
        await audit.AppendAsync(AuditKinds.UserCreated, account.UserName, Channels.Web, $"{user.Role} {account.DistrictCode}{account.TouringGroupCode} by {organiser}",
            clientAddress: from);
        return [];
    }

    public Task<IReadOnlyList<string>> SetDisabledAsync(string userName, bool disabled, string organiser, string? from = null) =>
        ChangeAsync(userName, organiser, from, disabled ? AuditKinds.UserDisabled : AuditKinds.UserEnabled, async (users, u) =>
        {
            u.Disabled = disabled;
            var result = await users.UpdateAsync(u);
            // A new stamp ends the account's existing sign-in sessions at their next validation.
            return result.Succeeded ? await users.UpdateSecurityStampAsync(u) : result;
        });

    public Task<IReadOnlyList<string>> ResetPasswordAsync(string userName, string password, string organiser, string? from = null) =>
        ChangeAsync(userName, organiser, from, AuditKinds.PasswordReset, async (users, u) =>
        {
            // Check the new password first: removing the old one and then failing would leave no password at all.
            foreach (var validator in users.PasswordValidators)
                if (await validator.ValidateAsync(users, u, password) is { Succeeded: false } invalid) return invalid;
            var removed = await users.RemovePasswordAsync(u);
            return removed.Succeeded ? await users.AddPasswordAsync(u, password) : removed;
        });

    public Task<IReadOnlyList<string>> UnlockAsync(string userName, string organiser, string? from = null) =>
        ChangeAsync(userName, organiser, from, AuditKinds.UserUnlocked, async (users, u) =>
        {
            var result = await users.SetLockoutEndDateAsync(u, null);
            return result.Succeeded ? await users.ResetAccessFailedCountAsync(u) : result;
        });

    /// <summary>Binds an observer account to a touring group (by code, as every campaign binds it); audited with the old and new group.</summary>
    public async Task<IReadOnlyList<string>> AssignGroupAsync(string userName, string groupCode, string organiser, string? from = null)
    {
        string? old = null;
        return await ChangeAsync(userName, organiser, from, AuditKinds.ObserverGroupChanged, async (users, u) =>
        {
            if (!await users.IsInRoleAsync(u, Roles.Observer)) return IdentityResult.Failed(new IdentityError { Description = "Not an observer" });
            old = u.TouringGroupCode;
            u.TouringGroupCode = groupCode;
            var result = await users.UpdateAsync(u);
            // The group is a claim of the sign-in: a new stamp has the observer's sessions pick up the new group.
            return result.Succeeded ? await users.UpdateSecurityStampAsync(u) : result;
        }, () => $"group {old ?? "-"} -> {groupCode}");
    }

    private async Task<IReadOnlyList<string>> ChangeAsync(string userName, string organiser, string? from, string kind,
        Func<UserManager<LiveBoardUser>, LiveBoardUser, Task<IdentityResult>> change, Func<string>? what = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();
        if (await users.FindByNameAsync(userName) is not { } user) return ["Unknown user"];
        var result = await change(users, user);
        if (!result.Succeeded) return result.Errors.Select(e => e.Description).ToList();
        await audit.AppendAsync(kind, userName, Channels.Web, what is null ? $"by {organiser}" : $"{what()} by {organiser}", clientAddress: from);
        return [];
    }
}
