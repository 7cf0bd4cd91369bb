using System.Globalization;
using LiveBoard.Core;
using LiveBoard.Core.Figures;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.Extensions.Localization;
using Microsoft.JSInterop;
using MudBlazor;

namespace LiveBoard.Web.Features.Meeting;

/// <summary>
/// The evening review meeting's presenter (/meeting/{day}): the organiser who opened it drives the agenda (buttons or the
/// keyboard script), everyone else follows; the presenter can publish the day's ranking.
/// </summary>
public partial class Presenter : LiveComponentBase, IAsyncDisposable
{
    [Inject] private MeetingService Meeting { get; set; } = default!;
    [Inject] private PublicationService Publications { get; set; } = default!;
    [Inject] private IJSRuntime JS { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;
    [Inject] private IDialogService Dialogs { get; set; } = default!;
    [Inject] private WriteAccess Access { get; set; } = default!;

    /// <summary>The meeting's day, yyyy-MM-dd. Defaults to "".</summary>
    [Parameter] public string Day { get; set; } = "";

    [CascadingParameter] private Task<AuthenticationState> Auth { get; set; } = default!;

    // Identifies this page (this circuit) as the presenter: the same organiser in a second tab is a second presenter.
    private readonly string _session = Guid.NewGuid().ToString("N");
    private DateOnly? _date;
    private MeetingData? _data;
    private MeetingState _state = MeetingState.Idle(default);
    private string? _published;
    private bool _refused;
    private DotNetObjectReference<Presenter>? _self;
    private IJSObjectReference? _module, _keys;

    private bool Driving => _state.Active && _state.PresenterSession == _session;
    private int Current => _data is null ? 0 : Math.Clamp(_state.Index, 0, _data.Agenda.Count - 1);

    protected override async Task LoadAsync()
    {
        _date = MeetingDay.Parse(Day);
        if (_date is null) return;
        _data = await Meeting.LoadAsync(_date.Value);
        _state = Meeting.Get(_date.Value);
    }

    protected override async Task OnAfterRenderAsync(bool firstRender)
    {
        // Only the interactive render opens the meeting: a prerender's session would hold the meeting and vanish.
        if (!firstRender || _date is null || _data is null) return;
        await OpenAsync();
        _self = DotNetObjectReference.Create(this);
        _module = await JS.InvokeAsync<IJSObjectReference>("import", "./js/meeting.js");
        _keys = await _module.InvokeAsync<IJSObjectReference>("listen", _self);
        StateHasChanged();
    }

    private async Task<string> UserAsync() => (await Auth).User.Identity?.Name ?? "?";

    /// <summary>
    /// Asked at the moment of each change of the meeting (open, take over, step, end), as for publishing: the room
    /// screens follow only an account that may still present; a refusal is audited and shown.
    /// </summary>
    private async Task<bool> MayPresentAsync()
    {
        _refused = !await Access.AllowsAsync("/meeting");
        return !_refused;
    }

    private async Task OpenAsync()
    {
        if (!await MayPresentAsync()) return;
        _state = await Meeting.OpenAsync(_data!.City.Campaign.Id, _date!.Value, await UserAsync(), _session);
        StateHasChanged();
    }

    private async Task TakeOverAsync()
    {
        if (!await MayPresentAsync()) return;
        _state = await Meeting.TakeOverAsync(_data!.City.Campaign.Id, _date!.Value, await UserAsync(), _session);
    }

    /// <summary>Called by the keyboard script: +1 next, -1 previous.</summary>
    [JSInvokable]
    public Task Step(int step) => InvokeAsync(async () =>
    {
        await StepAsync(step);
        StateHasChanged();
    });

    private Task StepAsync(int step) => GoAsync(Current + step);

    private async Task GoAsync(int index)
    {
        if (!Driving || _data is null || !await MayPresentAsync()) return;
        _state = await Meeting.GoAsync(_data.City.Campaign.Id, _date!.Value, _session, index, _data.Agenda.Count);
    }

    private async Task EndAsync()
    {
        if (!await MayPresentAsync()) return;
        _state = await Meeting.EndAsync(_data!.City.Campaign.Id, _date!.Value, _session);
    }

    private async Task PublishAsync()
    {
        if (!Driving) return;
        // Irreversible: the organiser sees which version for which day is about to be announced, and that it stays.
        var version = await Publications.NextVersionAsync();
        var confirmed = await Dialogs.ShowMessageBoxAsync(L["Publish_ConfirmTitle"],
            L["Publish_ConfirmText", version, FigureFormat.Date(_date!.Value, CultureInfo.CurrentCulture)].Value,
            yesText: L["Publish_ConfirmYes"], cancelText: L["Dialog_Cancel"]);
        if (confirmed != true) return;
        // Asked after the confirmation, at the moment of the write: an account disabled meanwhile publishes nothing.
        if (!await MayPresentAsync()) return;
        var published = await Publications.PublishAsync(_date, null, await UserAsync(), Channels.Web);
        _published = published is null ? null : Cultures.Pick(published.Label, published.LabelEn);
    }

    public async ValueTask DisposeAsync()
    {
        if (Driving) await Meeting.ReleaseAsync(_data!.City.Campaign.Id, _date!.Value, _session);
        try
        {
            if (_keys is not null) await _keys.InvokeVoidAsync("dispose");
            if (_module is not null) await _module.DisposeAsync();
        }
        catch (JSDisconnectedException)
        {
            // The circuit is gone with the browser tab; nothing left to unhook.
        }
        _self?.Dispose();
        // Unsubscribes from the feed too, whichever of Dispose/DisposeAsync the renderer calls.
        Dispose();
        GC.SuppressFinalize(this);
    }
}
