using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Admin;

/// <summary>
/// The organiser's account list (/admin/users): create accounts bound to a district or a touring group, disable, unlock
/// and reset passwords; every change is audited by <see cref="UserAdmin"/>.
/// </summary>
public partial class UsersPage
{
    [Inject] private UserAdmin Admin { get; set; } = default!;
    [Inject] private CampaignStore Store { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;
    [Inject] private CampaignClock CampaignTime { get; set; } = default!;
    [Inject] private WriteAccess Access { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private sealed class Draft
    {
        public string? UserName { get; set; }
        public string? DisplayName { get; set; }
        public string Role { get; set; } = Roles.Reporter;
        public string? DistrictCode { get; set; }
        public string? TouringGroupCode { get; set; }
        public string? Password { get; set; }
    }

    private Campaign? _campaign;
    private IReadOnlyList<UserSummary>? _users;
    private Draft _new = new();
    private IReadOnlyList<string> _errors = [];
    private string? _resetFor;
    private string? _resetPassword;
    private string _organiser = "";
    private string? _search;

    protected override async Task OnInitializedAsync()
    {
        _organiser = (await AuthState).User.Identity?.Name ?? "";
        _campaign = (await Store.LoadCurrentAsync())?.Campaign;
        _users = await Admin.ListAsync();
    }

    private string RoleName(UserSummary u) => u.Role is { } r ? L["Role_" + r] : "";

    // The district or touring group by its name in the current language; a code the campaign does not know stays a code.
    private string Binding(UserSummary u) =>
        u.DistrictCode is { } d ? _campaign?.Districts.FirstOrDefault(x => x.Code == d) is { } district ? Cultures.Pick(district.Name, district.NameEn) : d
        : u.TouringGroupCode is { } g ? _campaign?.TouringGroups.FirstOrDefault(x => x.Code == g) is { } group ? Cultures.Pick(group.Name, group.NameEn) : g
        : "";

    // The search box narrows the list to accounts whose name, display name, role or binding contains what was typed.
    private bool Matches(UserSummary u) =>
        string.IsNullOrWhiteSpace(_search)
        || new[] { u.UserName, u.DisplayName, RoleName(u), Binding(u) }.Any(s => s.Contains(_search.Trim(), StringComparison.OrdinalIgnoreCase));

    private bool _refused;

    // Every change asks for the organiser's account again: one disabled since the page opened changes nothing.
    private async Task<bool> MayWriteAsync() => !(_refused = !await Access.AllowsAsync("/admin/users"));

    private async Task AfterAsync(IReadOnlyList<string> errors)
    {
        _errors = errors;
        _users = await Admin.ListAsync();
    }

    private async Task CreateAsync()
    {
        if (!await MayWriteAsync()) return;
        var errors = await Admin.CreateAsync(new NewUser(_new.UserName ?? "", _new.DisplayName ?? "", _new.Role, _new.DistrictCode,
            _new.TouringGroupCode, _new.Password ?? ""), _organiser, Access.From);
        if (errors.Count == 0) _new = new Draft();
        await AfterAsync(errors);
    }

    private async Task ToggleAsync(UserSummary u)
    {
        if (await MayWriteAsync()) await AfterAsync(await Admin.SetDisabledAsync(u.UserName, !u.Disabled, _organiser, Access.From));
    }

    private async Task UnlockAsync(UserSummary u)
    {
        if (await MayWriteAsync()) await AfterAsync(await Admin.UnlockAsync(u.UserName, _organiser, Access.From));
    }

    private async Task ResetAsync(UserSummary u)
    {
        if (!await MayWriteAsync()) return;
        var errors = await Admin.ResetPasswordAsync(u.UserName, _resetPassword ?? "", _organiser, Access.From);
        if (errors.Count == 0) (_resetFor, _resetPassword) = (null, null);
        await AfterAsync(errors);
    }
}
