using LiveBoard.Web.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace LiveBoard.Testing;

/// <summary>
/// A new test database starts as a copy of one that the app's own migrations were applied to once per test process:
/// a SQLite file copied, a PostgreSQL database created from a template. Applying the thirty-odd migrations again for
/// every host cost about 0.5 s of CPU on SQLite and 1–1.5 s on PostgreSQL per start, hundreds of starts per run.
/// The app still runs its migration step on start (it finds nothing pending); databases a test names itself, and the
/// tests of migrating an empty or older database, are left as they are.
/// </summary>
public static class MigratedTemplate
{
    private static readonly Lock Gate = new();
    private static string? _sqliteFile;
    private static string? _postgreSqlName;

    /// <summary>A new SQLite file at <paramref name="path"/> holding every migration and nothing else.</summary>
    public static void CopySqliteTo(string path)
    {
        lock (Gate)
        {
            if (_sqliteFile is null)
            {
                var file = TempPaths.NewDatabase();
                var options = new DbContextOptionsBuilder<LiveBoardDbContext>().UseSqlite($"Data Source={file};Pooling=False").Options;
                using (var db = new LiveBoardDbContext(options))
                {
                    LiveBoardStorage.MigrateAsync(db).GetAwaiter().GetResult();
                    // Everything into the main file: a copy of it alone is then the whole database (WAL stays its mode).
                    db.Database.ExecuteSqlRaw("PRAGMA wal_checkpoint(TRUNCATE);");
                }
                _sqliteFile = file;
            }
        }
        File.Copy(_sqliteFile, path);
    }

    /// <summary>A new PostgreSQL database <paramref name="name"/> holding every migration and nothing else.</summary>
    public static void CreatePostgreSql(string name)
    {
        // One creation at a time: CREATE DATABASE … TEMPLATE refuses while another session is connected to the template.
        lock (Gate)
        {
            if (_postgreSqlName is null)
            {
                var template = "lb_template_" + Environment.ProcessId;
                Execute($"DROP DATABASE IF EXISTS {template}");
                var options = new DbContextOptionsBuilder<LiveBoardDbContext>()
                    .UseNpgsql(new NpgsqlConnectionStringBuilder(TestDatabase.PostgreSqlConnectionString(template)) { Pooling = false }.ToString()).Options;
                using (var db = new PostgreSqlLiveBoardDbContext(options))
                    LiveBoardStorage.MigrateAsync(db).GetAwaiter().GetResult();
                _postgreSqlName = template;
            }
            Execute($"CREATE DATABASE \"{name}\" TEMPLATE {_postgreSqlName}");
        }
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.PostgreSqlServer!) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
