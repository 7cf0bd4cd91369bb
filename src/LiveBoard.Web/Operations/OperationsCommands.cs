using LiveBoard.Web.Data;
using LiveBoard.Web.Operations.Backups;

namespace LiveBoard.Web.Operations;

/// <summary>
/// The command-line verbs of LiveBoard.Web.dll: <c>backup &lt;file&gt;</c> and <c>restore &lt;file&gt;</c>, run against
/// the database the configuration names (appsettings, environment, and any <c>--Key=value</c> after the file), then exit.
/// </summary>
public static class OperationsCommands
{
    public const int Done = 0;
    public const int Refused = 1;
    public const int Usage = 2;

    /// <summary>True when the arguments start with a verb; the web server is then not started.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] is "backup" or "restore";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        if (args.Length < 2 || args[1].StartsWith('-'))
        {
            await error.WriteLineAsync($"usage: LiveBoard.Web {args[0]} <file> [--ConnectionStrings:LiveBoard=\"Data Source=...\"]");
            return Usage;
        }
        var configuration = WebApplication.CreateBuilder(args[2..]).Configuration;
        var connectionString = LiveBoardStorage.ConnectionString(configuration);
        try
        {
            if (args[0] == "backup")
            {
                var manifest = await SqliteBackup.CreateAsync(connectionString, args[1], BackupFolder.Manual, TimeProvider.System);
                await output.WriteLineAsync(
                    $"Backed up {SqliteBackup.DatabaseFile(connectionString)} to {manifest.File}: {manifest.Bytes:N0} bytes in {manifest.Seconds:0.000} s.");
                await WriteCheckAsync(output, manifest.Check);
                await output.WriteLineAsync($"Manifest: {manifest.File}{BackupManifest.Extension}");
            }
            else
            {
                var restored = await SqliteBackup.RestoreAsync(args[1], connectionString, TimeProvider.System);
                await WriteCheckAsync(output, restored.Check);
                await output.WriteLineAsync($"Restored {Path.GetFullPath(args[1])} into {restored.Database}.");
                await output.WriteLineAsync(restored.PreviousKeptAs is { } kept
                    ? $"The previous database was kept as {kept}."
                    : "There was no previous database.");
            }
            return Done;
        }
        catch (BackupRefusedException e)
        {
            await error.WriteLineAsync($"{args[0]} refused: {e.Message}");
            return Refused;
        }
    }

    private static async Task WriteCheckAsync(TextWriter output, BackupCheck check)
    {
        await output.WriteLineAsync($"integrity_check: {check.Integrity}; {check.TotalRows:N0} rows in {check.Rows.Count} tables:");
        foreach (var (table, rows) in check.Rows) await output.WriteLineAsync($"  {table,-32} {rows,10:N0}");
    }
}
