using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>Where the database lives and how it is opened.</summary>
public static class LiveBoardStorage
{
    public const string DefaultConnectionString = "Data Source=data/liveboard.db";

    /// <summary>
    /// The configured connection string (ConnectionStrings:LiveBoard, or the env var ConnectionStrings__LiveBoard),
    /// with foreign keys on and a busy timeout so concurrent writers wait instead of failing.
    /// </summary>
    public static string ConnectionString(IConfiguration configuration)
    {
        var builder = new SqliteConnectionStringBuilder(
            configuration.GetConnectionString("LiveBoard") ?? DefaultConnectionString)
        {
            ForeignKeys = true,
            DefaultTimeout = 30,
        };
        if (builder.DataSource is { Length: > 0 } path && path != ":memory:" && !builder.DataSource.StartsWith("file:", StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            builder.DataSource = full;
        }
        return builder.ToString();
    }

    /// <summary>Applies checked-in migrations and switches the file to write-ahead logging.</summary>
    public static async Task MigrateAsync(LiveBoardDbContext db, CancellationToken ct = default)
    {
        await db.Database.MigrateAsync(ct);
        // WAL lets screens read while districts write; the mode is stored in the file, so once is enough.
        await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
    }
}
