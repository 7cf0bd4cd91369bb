using System.Globalization;
using System.Security.Claims;
using LiveBoard.Core;
using LiveBoard.Core.Inspection;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Live;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Inspection;

/// <summary>
/// The inspection week's itinerary (/itinerary): one route per touring group for the chosen day, live as sites are
/// visited and scored; observers mark visits, organisers close scoring and import the site workbook.
/// </summary>
public partial class Itinerary : LiveComponentBase
{
    [Inject] private InspectionService Inspection { get; set; } = default!;
    [Inject] private SiteAdmin Sites { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;
    [Inject] private WriteAccess Access { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    /// <summary>The day to show, yyyy-MM-dd. Defaults to null: the campaign clock's today.</summary>
    [SupplyParameterFromQuery] public string? Day { get; set; }

    private ItineraryView? _view;
    private string? _loadedDay;
    private ClaimsPrincipal _user = new();

    protected override async Task LoadAsync()
    {
        _user = (await AuthState).User;
        DateOnly? day = DateOnly.TryParseExact(Day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;
        _view = await Inspection.ItineraryAsync(day);
        _loadedDay = Day;
    }

    protected override async Task OnParametersSetAsync()
    {
        // The day tabs are links to this same page: a new ?day= arrives as a parameter change, not a new page.
        if (_view is not null && Day != _loadedDay) await LoadAsync();
    }

    protected override bool IsRelevant(CampaignEvent change) => change is SiteVisited or ScoreRecorded or ScoringClosed or ItineraryChanged;

    private IReadOnlyList<SiteRowError> _importErrors = [];
    private int? _imported;
    private bool _refused;

    // Every write asks for the account again: one disabled since the page opened writes nothing.
    private async Task<bool> MayWriteAsync() => !(_refused = !await Access.AllowsAsync("/itinerary"));

    // A workbook of a few hundred sites is well under 1 MB; anything larger is not an itinerary.
    private async Task ImportAsync(IBrowserFile file)
    {
        if (!_user.IsInRole(Roles.Organiser) || !await MayWriteAsync()) return;
        await using var stream = file.OpenReadStream(maxAllowedSize: 1024 * 1024);
        var (errors, changed) = await Sites.ImportAsync(stream, _user.Identity!.Name!, Channels.Web);
        _importErrors = errors;
        _imported = errors.Count == 0 ? changed : null;
    }

    private async Task MarkAsync((SiteRow Site, VisitKind Kind) e)
    {
        if (await MayWriteAsync()) await Inspection.MarkVisitAsync(e.Site.Id, e.Kind, null, _user, Channels.Web);
    }

    private async Task CloseAsync(SiteRow site)
    {
        if (await MayWriteAsync()) await Inspection.CloseScoringAsync(site.Id, _user.Identity!.Name!, Channels.Web);
    }
}
