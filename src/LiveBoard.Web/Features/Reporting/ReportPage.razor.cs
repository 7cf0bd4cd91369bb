using System.Globalization;
using System.Security.Claims;
using LiveBoard.Core;
using LiveBoard.Core.Campaigns;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using MudBlazor;

namespace LiveBoard.Web.Features.Reporting;

/// <summary>
/// The reporter's page (/report): one card per headline indicator of one district; a reporter reports for the district
/// bound to the account, an organiser picks any district.
/// </summary>
public partial class ReportPage
{
    [Inject] private CampaignStore Store { get; set; } = default!;
    [Inject] private FigureService Figures { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;
    [Inject] private NavigationManager Nav { get; set; } = default!;
    [Inject] private CampaignClock Clock { get; set; } = default!;
    [Inject] private WriteAccess Access { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    /// <summary>For organisers: the district to report for (?district=code). Defaults to null: the campaign's first district.</summary>
    [SupplyParameterFromQuery(Name = "district")] public string? DistrictQuery { get; set; }

    private sealed class Row(Indicator indicator, Figure? current)
    {
        public Indicator Indicator { get; } = indicator;
        public Figure? Current { get; set; } = current;
        /// <summary>The version the reporter is looking at: a conflict moves it on to what they have now seen.</summary>
        public int BaseVersion { get; set; } = current?.Version ?? 0;
        public string? Value { get; set; }
        public string? Reason { get; set; }
        public string? ValueError { get; set; }
        public string? ReasonError { get; set; }
        public VersionConflict? Conflict { get; set; }
    }

    private ClaimsPrincipal _user = new();
    private bool _isOrganiser;
    private CampaignState? _state;
    private District? _district;
    private List<Row> _rows = [];
    private List<Indicator> _implausible = [];
    private string? _message;
    private Severity _messageSeverity;
    private bool _busy;

    protected override async Task OnParametersSetAsync()
    {
        _user = (await AuthState).User;
        _isOrganiser = _user.IsInRole(Roles.Organiser);
        await LoadAsync();
    }

    private async Task LoadAsync()
    {
        _state = await Store.LoadCurrentAsync();
        if (_state is null) return;
        var code = _isOrganiser ? DistrictQuery ?? _state.Campaign.Districts.FirstOrDefault()?.Code : Policies.OwnDistrict(_user);
        _district = _state.Campaign.Districts.FirstOrDefault(d => d.Code == code);
        if (_district is null) return;
        var figures = _state.FigureRows.Where(f => f.DistrictId == _district.Id).ToDictionary(f => f.IndicatorId);
        _rows = _state.Campaign.Indicators
            .Where(i => i.Category == IndicatorCategory.Headline && i.Unit != IndicatorUnit.Grade)
            .Select(i => new Row(i, figures.GetValueOrDefault(i.Id)))
            .ToList();
    }

    // One row's checks, the same when the reporter leaves a field and on submit: sets the row's messages and returns
    // its entry when the row is filled in and valid.
    private FigureEntry? Check(Row row)
    {
        row.ValueError = row.ReasonError = null;
        if (string.IsNullOrWhiteSpace(row.Value)) return null;
        if (!decimal.TryParse(row.Value.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var value))
        {
            row.ValueError = L["Figure_NumberFormat"];
            return null;
        }
        if (FigureRules.Validate(row.Indicator, value) is { } error)
        {
            row.ValueError = L.Text(error);
            return null;
        }
        if ((FigureRules.ValidateChange(row.Current?.Value, value, row.Reason, Channels.Web) ?? FigureRules.ValidateReason(row.Reason)) is { } reasonError)
        {
            row.ReasonError = L.Text(reasonError);
            return null;
        }
        return new FigureEntry(row.Indicator.Code, value, row.BaseVersion, row.Reason);
    }

    // Leaving the value field checks the value; a missing reason is not held against a field not reached yet.
    private void ValueLeft(Row row)
    {
        Check(row);
        if (string.IsNullOrEmpty(row.Reason)) row.ReasonError = null;
    }

    private void ReasonLeft(Row row) => Check(row);

    private void PickDistrict(string code) => Nav.NavigateTo($"/report?district={Uri.EscapeDataString(code)}");

    private Task SubmitAsync() => SubmitAsync(confirmed: false);

    private Task ConfirmImplausibleAsync() => SubmitAsync(confirmed: true);

    private async Task SubmitAsync(bool confirmed)
    {
        if (_district is null || _busy) return;
        _message = null;
        _implausible = [];
        var entries = new List<FigureEntry>();
        foreach (var row in _rows)
        {
            row.Conflict = null;
            if (Check(row) is not { } entry) continue;
            entries.Add(entry);
            if (FigureRules.IsImplausible(row.Indicator, entry.Value)) _implausible.Add(row.Indicator);
        }
        if (_rows.Any(r => r.ValueError is not null || r.ReasonError is not null))
        {
            _implausible = [];
            Refuse(L["Report_FixErrors"]);
            return;
        }
        if (entries.Count == 0)
        {
            Refuse(L["Report_Empty"]);
            return;
        }
        // Unusual values are accepted only after an explicit confirmation; the revision is then flagged for organisers.
        if (_implausible.Count > 0 && !confirmed) return;
        _implausible = [];

        // The account is asked again now: disabled since the page opened means no write, at once.
        if (await Access.CurrentWriterAsync("/report") is null)
        {
            Refuse(L["Write_AccountRefused"]);
            return;
        }
        // The page checks the district again: the policy lets organisers and reporters in, this rule narrows reporters.
        if (!Policies.CanReportFor(_user, _district.Code))
        {
            Refuse(L["Api_OtherDistrict"]);
            return;
        }
        _busy = true;
        try
        {
            var outcome = await Figures.ReportAsync(new ReportRequest(_district.Code, entries, _user.Identity!.Name!, Channels.Web,
                RequestId: Guid.NewGuid().ToString("N"), ClientAddress: Access.From));
            switch (outcome)
            {
                case ReportOutcome.Accepted accepted:
                    var changed = accepted.Receipts.Sum(r => r.Values.Count(v => v.Changed));
                    await LoadAsync();
                    _messageSeverity = Severity.Success;
                    _message = L["Report_Accepted", changed];
                    break;
                case ReportOutcome.Invalid invalid:
                    foreach (var e in invalid.Errors)
                        if (_rows.FirstOrDefault(r => r.Indicator.Code == e.Field) is { } row)
                        {
                            if (FigureRules.IsReasonError(e.Error)) row.ReasonError = L.Text(e.Error);
                            else row.ValueError = L.Text(e.Error);
                        }
                    Refuse(L["Report_FixErrors"]);
                    break;
                case ReportOutcome.Conflict conflict:
                    foreach (var c in conflict.Conflicts)
                        if (_rows.FirstOrDefault(r => r.Indicator.Code == c.IndicatorCode) is { } row)
                        {
                            row.Conflict = c;
                            // The reporter has now seen the other value: a second submit is a deliberate correction of it.
                            row.BaseVersion = c.CurrentVersion;
                        }
                    Refuse(L["Report_Conflict"]);
                    break;
            }
        }
        finally
        {
            _busy = false;
        }
    }

    private void Refuse(string message)
    {
        _messageSeverity = Severity.Error;
        _message = message;
    }
}
