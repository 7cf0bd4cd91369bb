using System.Security.Claims;
using LiveBoard.Core.Campaigns;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Forms;
using Microsoft.Extensions.Localization;

namespace LiveBoard.Web.Features.Reporting;

/// <summary>
/// The import page (/import): download a district's xlsx template, fill it in, upload it; the whole file is accepted or
/// refused row by row.
/// </summary>
public partial class ImportPage
{
    [Inject] private FigureImport Import { get; set; } = default!;
    [Inject] private WriteAccess Access { get; set; } = default!;
    [Inject] private CampaignStore Store { get; set; } = default!;
    [Inject] private IStringLocalizer<SharedResource> L { get; set; } = default!;

    [CascadingParameter] private Task<AuthenticationState> AuthState { get; set; } = default!;

    private ClaimsPrincipal _user = new();
    private IReadOnlyList<District>? _districts;
    private ImportResult? _result;
    private bool _busy;
    private string? _fileName;
    private double _percent;

    protected override async Task OnInitializedAsync()
    {
        _user = (await AuthState).User;
        if ((await Store.LoadCurrentAsync())?.Campaign is { } campaign) _districts = FigureImport.AllowedDistricts(_user, campaign);
    }

    private async Task UploadAsync(InputFileChangeEventArgs e)
    {
        _busy = true;
        _result = null;
        _fileName = e.File.Name;
        _percent = 0;
        try
        {
            if (e.File.Size > FigureImport.MaxFileBytes)
            {
                _result = new ImportResult.Refused([new ImportRowError(0, "", L["Import_TooLarge", FigureImport.MaxFileBytes / 1024 / 1024])]);
                return;
            }
            // The upload arrives over the circuit; buffer it, since the xlsx reader needs a seekable stream.
            // Copied in chunks so a large file on a slow field connection shows how far it has come.
            using var buffer = new MemoryStream();
            await using (var upload = e.File.OpenReadStream(FigureImport.MaxFileBytes))
            {
                var chunk = new byte[64 * 1024];
                int read;
                while ((read = await upload.ReadAsync(chunk)) > 0)
                {
                    buffer.Write(chunk, 0, read);
                    _percent = e.File.Size == 0 ? 100 : 100.0 * buffer.Length / e.File.Size;
                    StateHasChanged();
                }
            }
            _percent = 100; // reading and checking the rows: quick, shown as indeterminate
            StateHasChanged();
            buffer.Position = 0;
            // The account is asked again at the moment of the write, as on /report: disabled since the page opened
            // (an upload can take minutes on a field connection) means nothing is written.
            if (await Access.CurrentWriterAsync("/import") is null)
            {
                _result = new ImportResult.Refused([new ImportRowError(0, "", L["Write_AccountRefused"])]);
                return;
            }
            _result = await Import.ImportAsync(buffer, _user, from: Access.From);
        }
        finally
        {
            _busy = false;
        }
    }
}
