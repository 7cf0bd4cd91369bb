using System.Globalization;
using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Data;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Admin;

/// <summary>
/// The organiser's audit (/audit): every figure change and every account event, narrowed by district, indicator, user,
/// dates and the implausible flag; the same filter exports to xlsx.
/// </summary>
public partial class AuditPage
{
    [Inject] private AuditQuery Query { get; set; } = default!;
    [Inject] private CampaignStore Store { get; set; } = default!;
    [Inject] private CampaignClock Clock { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;

    private Campaign? _campaign;
    private string? _district;
    private string? _indicator;
    private string? _user;
    private DateTime? _from;
    private DateTime? _to;
    private bool _flaggedOnly;
    private string? _kind;
    private string? _address;
    private IReadOnlyList<FigureAuditRow>? _changes;
    private IReadOnlyList<AuditEvent>? _events;

    protected override async Task OnInitializedAsync()
    {
        _campaign = (await Store.LoadCurrentAsync())?.Campaign;
        await LoadAsync();
    }

    private AuditFilter Filter => new(_district, _indicator, _user,
        _from is { } f ? DateOnly.FromDateTime(f) : null, _to is { } t ? DateOnly.FromDateTime(t) : null, _flaggedOnly,
        _kind, _address);

    private async Task LoadAsync()
    {
        var filter = Filter;
        _changes = await Query.FigureChangesAsync(filter);
        _events = await Query.EventsAsync(filter);
    }

    /// <summary>The event kinds an organiser may narrow the events to, refusals first.</summary>
    private static readonly string[] Kinds = [AuditKinds.Refused, AuditKinds.WriteRefused, AuditKinds.LoginFailed,
        AuditKinds.LockedOut, AuditKinds.LoginSucceeded, AuditKinds.Logout, AuditKinds.IdleTimeout, AuditKinds.TokenIssued,
        AuditKinds.UserCreated, AuditKinds.UserDisabled, AuditKinds.UserEnabled, AuditKinds.PasswordReset, AuditKinds.UserUnlocked];

    // On the campaign clock, to the second, whatever the server's time zone.
    private string When(DateTimeOffset at) => Clock.Show(at, CampaignClock.Stamp);

    private string ExportUrl
    {
        get
        {
            var f = Filter;
            var query = new Dictionary<string, string?>
            {
                ["district"] = f.District, ["indicator"] = f.Indicator, ["user"] = f.User,
                ["from"] = f.From?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), ["to"] = f.To?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["flagged"] = f.FlaggedOnly ? "true" : null,
                ["kind"] = f.Kind, ["address"] = f.Address,
            };
            return QueryHelpers.AddQueryString(AuditExport.Path, query.Where(kv => kv.Value is not null));
        }
    }
}
