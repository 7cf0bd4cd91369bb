using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace LiveBoard.Web.Data;

/// <summary>The database engines LiveBoard runs on: SQLite on one machine, PostgreSQL when several instances share one database.</summary>
public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>Which engine and where: <c>LiveBoard:Database</c> and <c>ConnectionStrings:LiveBoard</c>.</summary>
public sealed record LiveBoardDatabase(DatabaseProvider Provider, string ConnectionString)
{
    public static LiveBoardDatabase Sqlite(string connectionString) => new(DatabaseProvider.Sqlite, connectionString);
}

/// <summary>Where the database lives and how it is opened.</summary>
public static class LiveBoardStorage
{
    public const string DefaultConnectionString = "Data Source=data/liveboard.db";

    /// <summary>The configured engine and connection (SQLite at <see cref="DefaultConnectionString"/> unless told otherwise).</summary>
    public static LiveBoardDatabase Database(IConfiguration configuration)
    {
        var name = configuration["LiveBoard:Database"];
        if (string.IsNullOrWhiteSpace(name) || name.Equals(nameof(DatabaseProvider.Sqlite), StringComparison.OrdinalIgnoreCase))
            return LiveBoardDatabase.Sqlite(ConnectionString(configuration));
        if (!name.Equals(nameof(DatabaseProvider.PostgreSQL), StringComparison.OrdinalIgnoreCase)
            && !name.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException($"LiveBoard:Database is '{name}'; use Sqlite or PostgreSQL.");
        var connection = configuration.GetConnectionString("LiveBoard")
            ?? throw new InvalidOperationException("LiveBoard:Database is PostgreSQL but ConnectionStrings:LiveBoard is not set.");
        return new LiveBoardDatabase(DatabaseProvider.PostgreSQL, connection);
    }

    /// <summary>
    /// The configured SQLite connection string (ConnectionStrings:LiveBoard, or the env var ConnectionStrings__LiveBoard),
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

    /// <summary>Points a context at the configured engine; its migrations come with the context type (see <see cref="LiveBoardContextFactory"/>).</summary>
    public static DbContextOptionsBuilder Use(this DbContextOptionsBuilder options, LiveBoardDatabase database) => database.Provider switch
    {
        // Split queries: a campaign loads with several collections, which one joined query would multiply.
        DatabaseProvider.PostgreSQL => options.UseNpgsql(database.ConnectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)),
        _ => options.UseSqlite(database.ConnectionString, o => o.UseQuerySplittingBehavior(QuerySplittingBehavior.SplitQuery)),
    };

    /// <summary>Applies checked-in migrations; a SQLite file is switched to write-ahead logging.</summary>
    public static async Task MigrateAsync(LiveBoardDbContext db, CancellationToken ct = default)
    {
        // WAL lets screens read while districts write; the mode is stored in the file, so once is enough. Before the
        // migrations: a new file then takes them as WAL commits, not each with a rollback journal created and deleted.
        if (db.Database.IsSqlite())
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        await db.Database.MigrateAsync(ct);
    }
}

/// <summary>
/// Hands out the context type whose migrations fit the engine: <see cref="LiveBoardDbContext"/> (migrations in
/// Data/Migrations) on SQLite, <see cref="PostgreSqlLiveBoardDbContext"/> (Data/Migrations/PostgreSql) on PostgreSQL.
/// Everyone else asks for a <see cref="LiveBoardDbContext"/> and never needs to know which one it got.
/// </summary>
public sealed class LiveBoardContextFactory(DbContextOptions<LiveBoardDbContext> options, LiveBoardDatabase database)
    : IDbContextFactory<LiveBoardDbContext>
{
    public LiveBoardDbContext CreateDbContext() => database.Provider == DatabaseProvider.PostgreSQL
        ? new PostgreSqlLiveBoardDbContext(options)
        : new LiveBoardDbContext(options);
}

/// <summary>
/// The same model on PostgreSQL. A type of its own only so that EF keeps its migrations and model snapshot apart
/// from SQLite's: column types differ between the engines, so each engine has its migration set.
/// </summary>
public sealed class PostgreSqlLiveBoardDbContext(DbContextOptions<LiveBoardDbContext> options) : LiveBoardDbContext(options);

/// <summary>
/// For <c>dotnet ef migrations add Name --context LiveBoard.Web.Data.LiveBoardDbContext [-- PostgreSQL]</c>: a SQLite
/// context, or with the argument <c>PostgreSQL</c> a PostgreSQL one, without a server (adding a migration opens no
/// connection). One factory for both, because a factory of the PostgreSQL type would also answer for the base type.
/// </summary>
internal sealed class LiveBoardDesignTimeFactory : IDesignTimeDbContextFactory<LiveBoardDbContext>
{
    public LiveBoardDbContext CreateDbContext(string[] args)
    {
        if (args.Contains(nameof(DatabaseProvider.PostgreSQL), StringComparer.OrdinalIgnoreCase))
            return new PostgreSqlLiveBoardDbContext(new DbContextOptionsBuilder<LiveBoardDbContext>()
                .UseNpgsql(new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Database = "liveboard" }.ToString()).Options);
        return new LiveBoardDbContext(new DbContextOptionsBuilder<LiveBoardDbContext>().UseSqlite(LiveBoardStorage.DefaultConnectionString).Options);
    }
}
