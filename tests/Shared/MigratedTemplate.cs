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
/// A host whose only particulars are its settings starts one step further, on a copy of what the app's own first start
/// with those settings left behind (the demo campaign, its accounts and screen, the data protection keys): that seeding
/// was about 0.55 s of CPU of every host start's 0.85 s (measured on SQLite, load 12). The app still runs every seeding
/// step on start and finds each done; hosts with a clock or services of their own start unseeded, as before.
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

    private static readonly Lock SeededGate = new();
    private static readonly Dictionary<string, string> Seeded = new(StringComparer.Ordinal);

    /// <summary>
    /// A new database <paramref name="name"/> (a SQLite file, or a PostgreSQL database) as the app's first start with
    /// these settings leaves it: that start is made once per process and settings, on a migrated copy, and copied since.
    /// </summary>
    public static void CreateSeeded(DatabaseProvider provider, string name, IReadOnlyDictionary<string, string?> settings, string environment)
    {
        var key = $"{provider}|{environment}|" + string.Join('|', settings.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => $"{s.Key}={s.Value}"));
        string? template;
        lock (SeededGate)
        {
            if (!Seeded.TryGetValue(key, out template))
            {
                template = provider == DatabaseProvider.PostgreSQL ? TestDatabase.NewPostgreSqlName() : TempPaths.NewDatabase();
                if (provider == DatabaseProvider.PostgreSQL) CreatePostgreSql(template);
                else CopySqliteTo(template);
                // Off the test's synchronisation context: a host is started and stopped here, inside a constructor.
                Task.Run(async () =>
                {
                    await using var first = new LiveBoardHost(template, new Dictionary<string, string?>(settings), provider: provider, environment: environment);
                    first.Start();
                }).GetAwaiter().GetResult();
                if (provider == DatabaseProvider.PostgreSQL)
                {
                    // CREATE DATABASE … TEMPLATE refuses while a session (a pooled connection) is still on the template.
                    NpgsqlConnection.ClearAllPools();
                    Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{template}' AND pid <> pg_backend_pid()");
                }
                else
                {
                    SqliteConnection.ClearAllPools();
                    using var connection = new SqliteConnection($"Data Source={template};Pooling=False");
                    connection.Open();
                    using var checkpoint = connection.CreateCommand();
                    // Everything into the main file: a copy of it alone is then the whole database.
                    checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
                    checkpoint.ExecuteNonQuery();
                }
                Seeded[key] = template;
            }
        }
        if (provider == DatabaseProvider.PostgreSQL)
            lock (Gate) Execute($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
        else File.Copy(template, name);
    }

    private static void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestDatabase.PostgreSqlServer!) { Pooling = false }.ToString());
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
