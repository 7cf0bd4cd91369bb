using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using LiveBoard.Web.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace LiveBoard.Testing;

/// <summary>
/// The real LiveBoard app on a real Kestrel server bound to 127.0.0.1 (a free port), with its own SQLite file, or its
/// own PostgreSQL database when the environment says so (<see cref="TestDatabase"/>).
/// Start-up runs exactly as in production: migrations, WAL, demo seeding.
/// </summary>
public sealed class LiveBoardHost : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _clock;
    private readonly string _environment;
    private readonly Action<IServiceCollection>? _services;
    private readonly bool _appPasswordHashing;

    /// <param name="port">0 picks a free port; a fixed one (see <see cref="FreePort"/>) lets a test restart the
    /// server where an open page expects it.</param>
    /// <param name="clock">the app's clock instead of the system's (see <see cref="AdjustableClock"/>)</param>
    /// <param name="databasePath">the SQLite file, or on PostgreSQL the database's name; null: a new one</param>
    /// <param name="provider">the engine; null: <see cref="TestDatabase.Provider"/></param>
    /// <param name="environment">"Production" for a tier that meets the production error handler instead of the developer page</param>
    /// <param name="services">registrations added after the app's own</param>
    /// <param name="appPasswordHashing">hash passwords with the app's own work factor (see <see cref="TestPasswordRounds"/>)</param>
    public LiveBoardHost(string? databasePath = null, Dictionary<string, string?>? settings = null, int port = 0, TimeProvider? clock = null,
        DatabaseProvider? provider = null, string environment = "Development", Action<IServiceCollection>? services = null,
        bool appPasswordHashing = false)
    {
        _environment = environment;
        _services = services;
        _appPasswordHashing = appPasswordHashing;
        Provider = provider ?? TestDatabase.Provider;
        DatabasePath = databasePath ?? (Provider == DatabaseProvider.PostgreSQL ? TestDatabase.NewPostgreSqlName() : TempPaths.NewDatabase());
        _settings = settings ?? [];
        // A database of its own starts migrated (see MigratedTemplate) and, when nothing but settings sets this host apart
        // (no clock or services of the test's own), as the app's start with the same settings seeded it; one the caller
        // names is used as it is.
        if (databasePath is null)
        {
            if (clock is null && services is null && !appPasswordHashing) MigratedTemplate.CreateSeeded(Provider, DatabasePath, _settings, environment);
            else if (Provider == DatabaseProvider.PostgreSQL) MigratedTemplate.CreatePostgreSql(DatabasePath);
            else MigratedTemplate.CopySqliteTo(DatabasePath);
        }
        _clock = clock;
        UseKestrel(o => o.Listen(IPAddress.Loopback, port));
    }

    /// <summary>A port that is free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    /// <summary>
    /// PBKDF2 rounds per password hash in test hosts, instead of the app's 100,000: every sign-in verifies one hash, and at
    /// the app's count that was 9 % of the web tests' CPU (perf: OpenSSL's SHA-512 under the hasher). The hasher, its
    /// format and every check are the app's; the count is stored in each hash, so seeded templates verify as cheaply.
    /// AccountTests proves the app's own count with a host that keeps it (<c>appPasswordHashing: true</c>).
    /// </summary>
    public const int TestPasswordRounds = 1_000;

    public DatabaseProvider Provider { get; }

    public string DatabasePath { get; }

    public string ConnectionString => Provider == DatabaseProvider.PostgreSQL
        ? TestDatabase.PostgreSqlConnectionString(DatabasePath)
        : $"Data Source={DatabasePath}";

    /// <summary>Starts the server and returns its root address, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Start()
    {
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address.TrimEnd('/') + "/");
    }

    public T Service<T>() where T : notnull => Services.GetRequiredService<T>();

    /// <summary>A context on the host's database that needs no running app: to read what a stopped host left behind.</summary>
    public LiveBoardDbContext OpenDatabase() => Provider == DatabaseProvider.PostgreSQL
        ? new PostgreSqlLiveBoardDbContext(new DbContextOptionsBuilder<LiveBoardDbContext>().UseNpgsql(ConnectionString).Options)
        : new LiveBoardDbContext(new DbContextOptionsBuilder<LiveBoardDbContext>().UseSqlite(ConnectionString).Options);

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(_environment);
        builder.UseSetting("LiveBoard:Database", Provider.ToString());
        builder.UseSetting("ConnectionStrings:LiveBoard", ConnectionString);
        foreach (var (key, value) in _settings) builder.UseSetting(key, value);
        builder.ConfigureLogging(logging => logging.AddProvider(new ErrorLog(DatabasePath)));
        if (!_appPasswordHashing)
            builder.ConfigureTestServices(services => services.Configure<PasswordHasherOptions>(o => o.IterationCount = TestPasswordRounds));
        // After the app's own registrations, so the last TimeProvider registered (this one) is the one resolved.
        if (_clock is { } clock) builder.ConfigureTestServices(services => services.AddSingleton(clock));
        if (_services is { } extra) builder.ConfigureTestServices(extra);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (Provider == DatabaseProvider.PostgreSQL) NpgsqlConnection.ClearAllPools();
    }
}

/// <summary>
/// Which engine the integration tests run on: SQLite unless <c>LIVEBOARD_TEST_DATABASE=PostgreSQL</c>, which
/// scripts/test.sh sets for its second pass, against the private cluster it started (<c>LIVEBOARD_TEST_POSTGRES</c>).
/// </summary>
public static class TestDatabase
{
    public const string ProviderVariable = "LIVEBOARD_TEST_DATABASE";
    public const string PostgreSqlVariable = "LIVEBOARD_TEST_POSTGRES";
    public const string RedisVariable = "LIVEBOARD_TEST_REDIS";

    public static DatabaseProvider Provider =>
        string.Equals(Environment.GetEnvironmentVariable(ProviderVariable), nameof(DatabaseProvider.PostgreSQL), StringComparison.OrdinalIgnoreCase)
            ? DatabaseProvider.PostgreSQL
            : DatabaseProvider.Sqlite;

    /// <summary>The private cluster's admin connection (scripts/scale-out-services.sh), or null when none runs.</summary>
    public static string? PostgreSqlServer => Environment.GetEnvironmentVariable(PostgreSqlVariable) is { Length: > 0 } s ? s : null;

    /// <summary>The private Redis (host:port), or null when none runs.</summary>
    public static string? Redis => Environment.GetEnvironmentVariable(RedisVariable) is { Length: > 0 } s ? s : null;

    /// <summary>A database name nobody has used; the app's migrations create it on start.</summary>
    public static string NewPostgreSqlName() => "lb_" + Guid.NewGuid().ToString("N");

    public static string PostgreSqlConnectionString(string database) =>
        new NpgsqlConnectionStringBuilder(PostgreSqlServer
            ?? throw new InvalidOperationException($"{PostgreSqlVariable} is not set: start PostgreSQL with scripts/scale-out-services.sh"))
        {
            Database = database,
        }.ToString();
}

public static class TempPaths
{
    public static string NewDatabase()
    {
        var dir = Path.Combine(Path.GetTempPath(), "liveboard-tests");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, $"{Guid.NewGuid():N}.db");
    }

    /// <summary>The repository root (where LiveBoard.sln is), for artifacts a person looks at after a run.</summary>
    public static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LiveBoard.sln"))) dir = dir.Parent;
        return dir?.FullName ?? Directory.GetCurrentDirectory();
    }
}
