using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace LiveBoard.Web.Operations.Backups;

/// <summary>What a check of a backup file found: SQLite's integrity check and the rows of every table.</summary>
public sealed record BackupCheck(bool Ok, string Integrity, IReadOnlyDictionary<string, long> Rows)
{
    public long TotalRows => Rows.Values.Sum();
}

/// <summary>A verified backup: where, when, how big, how long it took, what it holds. Saved beside it as <c>.json</c>.</summary>
public sealed record BackupManifest(string File, DateTimeOffset CreatedAt, long Bytes, double Seconds, string Reason, BackupCheck Check)
{
    public const string Extension = ".json";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };
}

/// <summary>What <see cref="SqliteBackup.RestoreAsync"/> did: the restored file and where the previous one was kept.</summary>
public sealed record RestoreResult(string Database, string? PreviousKeptAs, BackupCheck Check);

/// <summary>A backup that must not be used, or a restore that must not happen, with the reason for the operator.</summary>
public sealed class BackupRefusedException(string message) : Exception(message);

/// <summary>
/// Consistent copies of the live SQLite file and their restoration. A copy is made with <c>VACUUM INTO</c>, which reads
/// one snapshot inside a read transaction: writers carry on (WAL), and what the copy holds is exactly what was committed
/// when it began. Copying the file itself would miss what still sits in the -wal file, or tear a page mid-write.
/// </summary>
public static class SqliteBackup
{
    /// <summary>Tables a LiveBoard database always has: a file without them is not a backup of this app.</summary>
    private static readonly string[] RequiredTables = ["__EFMigrationsHistory", "Campaigns", "Figures", "FigureRevisions", "AuditEvents"];

    /// <summary>Copies the database to <paramref name="target"/>, checks the copy, and writes its manifest beside it.</summary>
    public static async Task<BackupManifest> CreateAsync(string connectionString, string target, string reason, TimeProvider clock, CancellationToken ct = default)
    {
        target = Path.GetFullPath(target);
        if (DatabaseFile(connectionString) is { } database && !File.Exists(database))
            throw new BackupRefusedException($"There is no database at {database} to back up.");
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        // Written under another name and moved into place only once checked: a backup file that exists is a good one.
        var partial = target + ".partial";
        File.Delete(partial);
        var started = Stopwatch.GetTimestamp();
        var createdAt = clock.GetUtcNow();
        await using (var source = Open(connectionString, readOnly: false))
        {
            await source.OpenAsync(ct);
            await using var vacuum = source.CreateCommand();
            vacuum.CommandText = "VACUUM INTO $path;";
            vacuum.Parameters.AddWithValue("$path", partial);
            await vacuum.ExecuteNonQueryAsync(ct);
        }
        var check = await VerifyAsync(partial, ct);
        if (!check.Ok)
        {
            File.Delete(partial);
            throw new BackupRefusedException($"The copy failed its check ({check.Integrity}); nothing was kept.");
        }
        File.Move(partial, target, overwrite: true);
        var manifest = new BackupManifest(target, createdAt, new FileInfo(target).Length,
            Stopwatch.GetElapsedTime(started).TotalSeconds, reason, check);
        await File.WriteAllTextAsync(target + BackupManifest.Extension, JsonSerializer.Serialize(manifest, BackupManifest.Json), ct);
        return manifest;
    }

    /// <summary>SQLite's integrity check and a row count per table; a file that is no LiveBoard database fails.</summary>
    public static async Task<BackupCheck> VerifyAsync(string file, CancellationToken ct = default)
    {
        var rows = new SortedDictionary<string, long>(StringComparer.Ordinal);
        if (!File.Exists(file)) return new BackupCheck(false, $"{file} does not exist", rows);
        try
        {
            await using var db = Open($"Data Source={file}", readOnly: true);
            await db.OpenAsync(ct);
            var integrity = new List<string>();
            await using (var check = db.CreateCommand())
            {
                check.CommandText = "PRAGMA integrity_check;";
                await using var reader = await check.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) integrity.Add(reader.GetString(0));
            }
            var tables = new List<string>();
            await using (var list = db.CreateCommand())
            {
                list.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name;";
                await using var reader = await list.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct)) tables.Add(reader.GetString(0));
            }
            foreach (var table in tables)
            {
                await using var count = db.CreateCommand();
                count.CommandText = $"SELECT COUNT(*) FROM \"{table.Replace("\"", "\"\"", StringComparison.Ordinal)}\";";
                rows[table] = (long)(await count.ExecuteScalarAsync(ct))!;
            }
            var result = string.Join("; ", integrity);
            if (result != "ok") return new BackupCheck(false, result, rows);
            var missing = RequiredTables.Where(t => !rows.ContainsKey(t)).ToList();
            return missing.Count == 0
                ? new BackupCheck(true, "ok", rows)
                : new BackupCheck(false, $"not a LiveBoard database (no table {string.Join(", ", missing)})", rows);
        }
        catch (SqliteException e)
        {
            return new BackupCheck(false, e.Message, rows);
        }
    }

    /// <summary>
    /// Puts a checked backup in place of the database in <paramref name="connectionString"/>. Refused when the backup
    /// fails its check or a running instance holds the database; the previous file (with its -wal and -shm) is kept
    /// aside as <c>&lt;name&gt;.before-restore-&lt;time&gt;</c>, never deleted.
    /// </summary>
    public static async Task<RestoreResult> RestoreAsync(string backup, string connectionString, TimeProvider clock, CancellationToken ct = default)
    {
        var check = await VerifyAsync(backup, ct);
        if (!check.Ok) throw new BackupRefusedException($"{backup} is not a usable backup: {check.Integrity}. Nothing was changed.");
        var database = DatabaseFile(connectionString)
            ?? throw new BackupRefusedException("The configured database is not a file; nothing to restore into.");
        // Held until the new file is in place, so an instance cannot start on a half-restored database either.
        using var exclusive = InstanceLock.TryTakeExclusive(database)
            ?? throw new BackupRefusedException($"{database} is in use by a running LiveBoard instance. Stop it first; nothing was changed.");

        string? keptAs = null;
        if (File.Exists(database))
        {
            keptAs = $"{database}.before-restore-{clock.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}";
            foreach (var suffix in new[] { "-wal", "-shm" })
                if (File.Exists(database + suffix)) File.Move(database + suffix, keptAs + suffix);
            File.Move(database, keptAs);
        }
        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        var incoming = database + ".restoring";
        File.Copy(backup, incoming, overwrite: true);
        File.Move(incoming, database);
        return new RestoreResult(database, keptAs, check);
    }

    /// <summary>The full path of the SQLite file in a connection string; null for an in-memory or URI database.</summary>
    public static string? DatabaseFile(string connectionString)
    {
        var source = new SqliteConnectionStringBuilder(connectionString).DataSource;
        return source is { Length: > 0 } && source != ":memory:" && !source.StartsWith("file:", StringComparison.Ordinal)
            ? Path.GetFullPath(source)
            : null;
    }

    // Unpooled: a pooled connection would keep the file open after the backup, restore or check is done.
    private static SqliteConnection Open(string connectionString, bool readOnly) => new(new SqliteConnectionStringBuilder(connectionString)
    {
        Pooling = false,
        Mode = readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate,
        DefaultTimeout = 30,
    }.ToString());
}
