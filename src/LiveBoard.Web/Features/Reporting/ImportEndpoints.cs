using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;

namespace LiveBoard.Web.Features.Reporting;

public static class ImportEndpoints
{
    public const string TemplatePath = "/import/template";

    /// <summary>The xlsx template: one district, or (organisers, no district given) all of them.</summary>
    public static void MapImportTemplate(this IEndpointRouteBuilder app) =>
        app.MapGet(TemplatePath, async (string? district, HttpContext http, FigureImport import, CancellationToken ct) =>
                await import.TemplateAsync(http.User, district, ct) is { } bytes
                    ? Results.File(bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", $"liveboard-{district ?? "all"}.xlsx")
                    : Results.Forbid())
            .RequireAuthorization(Policies.Reporting);
}
