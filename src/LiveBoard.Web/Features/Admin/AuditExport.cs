using System.Globalization;
using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;
using Microsoft.Extensions.Localization;
using MiniExcel = MiniExcelLibs.MiniExcel;

namespace LiveBoard.Web.Features.Admin;

/// <summary>The audit as an xlsx workbook (figure changes and events, one sheet each), with the page's filters.</summary>
public static class AuditExport
{
    public const string Path = "/audit/export";

    public static void MapAuditExport(this IEndpointRouteBuilder app) =>
        app.MapGet(Path, async (string? district, string? indicator, string? user, DateOnly? from, DateOnly? to, bool? flagged,
                string? kind, string? address, AuditQuery query, CampaignClock clock, IStringLocalizer<SharedResource> L, CancellationToken ct) =>
            {
                var filter = new AuditFilter(district, indicator, user, from, to, flagged == true, kind, address);
                var changes = await query.FigureChangesAsync(filter, ct);
                var events = await query.EventsAsync(filter, ct);
                var sheets = new Dictionary<string, object>
                {
                    ["figures"] = changes.Select(r => new Dictionary<string, object?>
                    {
                        [L["Audit_When"]] = clock.Show(r.At, CampaignClock.Stamp),
                        [L["Ranking_District"]] = r.DistrictName,
                        [L["Audit_Indicator"]] = r.IndicatorName,
                        [L["Audit_Old"]] = r.OldValue,
                        [L["Audit_New"]] = r.NewValue,
                        [L["Audit_Version"]] = r.Version,
                        [L["Audit_User"]] = r.ChangedBy,
                        [L["Audit_Reason"]] = r.Reason,
                        [L["Audit_Channel"]] = AuditWords.Channel(L, r.Channel),
                        [L["Audit_RequestId"]] = r.RequestId,
                        [L["Audit_Flagged"]] = r.Implausible ? "!" : "",
                        [L["Audit_Address"]] = r.ClientAddress,
                    }).ToList(),
                    ["events"] = events.Select(e => new Dictionary<string, object?>
                    {
                        [L["Audit_When"]] = clock.Show(e.At, CampaignClock.Stamp),
                        [L["Audit_Event"]] = AuditWords.Kind(L, e.Kind),
                        [L["Audit_User"]] = e.UserName,
                        [L["Audit_Channel"]] = AuditWords.Channel(L, e.Channel),
                        [L["Audit_Detail"]] = e.Detail,
                        [L["Audit_Address"]] = e.RemoteAddress,
                        [L["Audit_RequestId"]] = e.RequestId,
                    }).ToList(),
                };
                var stream = new MemoryStream();
                await MiniExcel.SaveAsAsync(stream, sheets, excelType: MiniExcelLibs.ExcelType.XLSX, cancellationToken: ct);
                stream.Position = 0;
                return Results.File(stream, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                    string.Create(CultureInfo.InvariantCulture, $"liveboard-audit-{clock.Now:yyyyMMdd-HHmm}.xlsx"));
            })
            .RequireAuthorization(Policies.Organiser);
}
