using LiveBoard.Web.Data;
using LiveBoard.Web.Features.Accounts;

namespace LiveBoard.Web.Operations.Backups;

/// <summary>GET /admin/backups/{name}: an organiser downloads one backup with the sign-in cookie.</summary>
public static class BackupDownload
{
    public const string Path = "/admin/backups";
    /// <summary>A backup holds every account's password hash: who took a copy is on the record.</summary>
    public const string AuditKind = "backup-downloaded";

    public static string Url(string name) => $"{Path}/{Uri.EscapeDataString(name)}";

    public static void MapBackupDownload(this WebApplication app) =>
        app.MapGet(Path + "/{name}", async (string name, BackupFolder folder, AuditLog audit, HttpContext http) =>
        {
            if (folder.Find(name) is not { } file) return Results.NotFound();
            await audit.AppendAsync(AuditKind, http.User.Identity?.Name ?? "", "web", name, http);
            return Results.File(file, "application/vnd.sqlite3", name);
        }).RequireAuthorization(Policies.Organiser);
}
