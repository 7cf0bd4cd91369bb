using System.Globalization;
using System.Text.Json;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Operations.Backups;

/// <summary>LiveBoard:Backup settings.</summary>
public sealed class BackupOptions
{
    public const string Section = "LiveBoard:Backup";

    /// <summary>Minutes between automatic backups (taken only if something changed meanwhile); 0 turns them off.</summary>
    public int IntervalMinutes { get; set; } = 60;

    /// <summary>Where automatic backups go; default <c>backups</c> beside the database (data/backups for the default database).</summary>
    public string? Folder { get; set; }

    /// <summary>How many interval backups are kept; publication and pre-migration backups are the day's record and stay.</summary>
    public int Keep { get; set; } = 48;
}

/// <summary>The folder of automatic backups: names them, takes them one at a time, lists and prunes them.</summary>
public sealed partial class BackupFolder(IDbContextFactory<LiveBoardDbContext> factory, IConfiguration configuration, TimeProvider clock,
    ILogger<BackupFolder> log) : IDisposable
{
    public const string Interval = "interval";
    public const string Publication = "publication";
    public const string BeforeMigration = "before-migration";
    public const string Manual = "manual";

    private readonly SemaphoreSlim _one = new(1, 1);
    private readonly BackupOptions _options = configuration.GetSection(BackupOptions.Section).Get<BackupOptions>() ?? new();
    // Exactly the database the app's contexts open, however it was configured.
    private readonly string _connectionString = ConnectionStringOf(factory);

    public BackupOptions Options => _options;

    public void Dispose() => _one.Dispose();

    public string Path => FolderFor(_options, Enabled ? _connectionString : LiveBoardStorage.DefaultConnectionString);

    /// <summary>The database file it backs up (null for an in-memory database).</summary>
    public string? DatabaseFile => Enabled ? SqliteBackup.DatabaseFile(_connectionString) : null;

    // Empty for PostgreSQL: its backups are pg_dump's (docs/deploy.md), and this folder then stays empty.
    private static string ConnectionStringOf(IDbContextFactory<LiveBoardDbContext> factory)
    {
        using var db = factory.CreateDbContext();
        return db.Database.IsSqlite() ? db.Database.GetConnectionString()! : "";
    }

    /// <summary>False on PostgreSQL: nothing here backs it up.</summary>
    public bool Enabled => _connectionString.Length > 0;

    public static string FolderFor(BackupOptions options, string connectionString) => options.Folder is { Length: > 0 } folder
        ? System.IO.Path.GetFullPath(folder)
        : System.IO.Path.Combine(System.IO.Path.GetDirectoryName(SqliteBackup.DatabaseFile(connectionString) ?? System.IO.Path.GetFullPath("data/x"))!, "backups");

    /// <summary>Takes a backup now into the folder; one at a time, so a publication during an interval backup waits.</summary>
    public async Task<BackupManifest> TakeAsync(string reason, CancellationToken ct = default)
    {
        if (!Enabled) throw new BackupRefusedException("The database is PostgreSQL: back it up with pg_dump (docs/deploy.md).");
        await _one.WaitAsync(ct);
        try
        {
            var name = $"liveboard-{clock.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff'Z'", CultureInfo.InvariantCulture)}-{reason}.db";
            var manifest = await SqliteBackup.CreateAsync(_connectionString, System.IO.Path.Combine(Path, name), reason, clock, ct);
            LogTaken(manifest.File, manifest.Bytes, manifest.Seconds, reason);
            if (reason == Interval) Prune();
            return manifest;
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>The backups in the folder, newest first; one without a readable manifest is listed as not verified.</summary>
    public IReadOnlyList<BackupListing> List()
    {
        if (!Directory.Exists(Path)) return [];
        return Directory.EnumerateFiles(Path, "*.db")
            .Select(file =>
            {
                var info = new FileInfo(file);
                var manifest = ReadManifest(file);
                return new BackupListing(info.Name, manifest?.CreatedAt ?? info.LastWriteTimeUtc, info.Length,
                    manifest is { Check.Ok: true } && manifest.Bytes == info.Length, manifest?.Reason ?? "", manifest?.Check.TotalRows);
            })
            .OrderByDescending(b => b.CreatedAt)
            .ToList();
    }

    /// <summary>The full path of a listed backup, or null for any name that is not one (no path tricks).</summary>
    public string? Find(string name) =>
        List().Any(b => b.Name == name) ? System.IO.Path.Combine(Path, name) : null;

    private void Prune()
    {
        foreach (var old in List().Where(b => b.Reason == Interval).Skip(Math.Max(_options.Keep, 1)))
        {
            var file = System.IO.Path.Combine(Path, old.Name);
            File.Delete(file);
            File.Delete(file + BackupManifest.Extension);
        }
    }

    private static BackupManifest? ReadManifest(string file)
    {
        try
        {
            return File.Exists(file + BackupManifest.Extension)
                ? JsonSerializer.Deserialize<BackupManifest>(File.ReadAllText(file + BackupManifest.Extension), BackupManifest.Json)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Backup {File} written: {Bytes} bytes in {Seconds:0.000} s ({Reason}), integrity ok")]
    private partial void LogTaken(string file, long bytes, double seconds, string reason);
}

/// <summary>One backup as the organisers' page lists it.</summary>
public sealed record BackupListing(string Name, DateTimeOffset CreatedAt, long Bytes, bool Verified, string Reason, long? Rows);
