using System.Security.Claims;
using LiveBoard.Core;
using LiveBoard.Web.Data;
using Microsoft.AspNetCore.Components.Authorization;

namespace LiveBoard.Web.Features.Accounts;

/// <summary>
/// For writes from an open page (a circuit keeps the principal it started with): is the account still the one that
/// signed in, not disabled, with the same security stamp — asked at the moment of the write, not on the minute's
/// revalidation. A refusal is audited. (API writes are checked by the same rule on every request: ActiveAccountRequirement.)
/// </summary>
public sealed class WriteAccess(AuthenticationStateProvider auth, ActiveAccounts accounts, AuditLog audit, ClientAddress address)
{
    /// <summary>The page's client address, kept with what it writes.</summary>
    public string? From => address.Value;

    /// <summary>Whether the page's account may still write now (see <see cref="CurrentWriterAsync"/>); a refusal is audited.</summary>
    public async Task<bool> AllowsAsync(string page) => await CurrentWriterAsync(page) is not null;

    /// <summary>The principal allowed to write now, or null when the account was disabled, reset or removed since sign-in.</summary>
    public async Task<ClaimsPrincipal?> CurrentWriterAsync(string page)
    {
        var user = (await auth.GetAuthenticationStateAsync()).User;
        if (user.Identity?.IsAuthenticated == true && await accounts.IsActiveAsync(user)) return user;
        await audit.AppendAsync(AuditKinds.WriteRefused, user.Identity?.Name ?? "", Channels.Web, page, clientAddress: From);
        return null;
    }
}
