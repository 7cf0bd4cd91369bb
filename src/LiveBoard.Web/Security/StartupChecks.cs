using LiveBoard.Web.Features.Accounts;
using Microsoft.Data.Sqlite;

namespace LiveBoard.Web.Security;

/// <summary>What must hold before LiveBoard serves anyone: a SQLite library with the WAL-reset fix, and no demo leftovers outside demo mode.</summary>
public static partial class StartupChecks
{
    /// <summary>3.51.3 fixes a WAL-reset race that could corrupt a database written by several connections at once.</summary>
    public const string MinimumSqliteVersion = "3.51.3";
    public static readonly Version MinimumSqlite = Version.Parse(MinimumSqliteVersion);

    /// <summary>Why this SQLite library may not be used (null: it may).</summary>
    public static string? SqliteProblem(string version) =>
        !Version.TryParse(version, out var v) ? $"SQLite reports an unreadable version '{version}'"
        : v < MinimumSqlite ? $"SQLite {version} is older than {MinimumSqlite}, which fixes the WAL-reset race; update the e_sqlite3 bundle"
        : null;

    /// <summary>Logs the SQLite library's version and refuses to start below <see cref="MinimumSqlite"/> (before migrating).</summary>
    public static void CheckSqlite(this WebApplication app)
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        var version = connection.ServerVersion;
        LogSqlite(app.Logger, version, MinimumSqliteVersion);
        if (SqliteProblem(version) is { } problem) throw new InvalidOperationException(problem);
    }

    /// <summary>
    /// With demo mode off, refuses to start while a demo account or the demo password is still there: a production
    /// system with <c>reporter-hure</c>/<c>Tongliao2023</c> would be open to anyone who has read the README.
    /// </summary>
    public static async Task CheckNoDemoLeftoversAsync(this WebApplication app)
    {
        if (app.Configuration.GetValue("LiveBoard:Demo", true)) return;
        await using var scope = app.Services.CreateAsyncScope();
        var leftovers = await scope.ServiceProvider.GetRequiredService<DemoAccounts>().LeftoversAsync(app.Configuration);
        if (leftovers.Count > 0)
            throw new InvalidOperationException("Demo mode is off, but demo accounts or the demo password are still in the database: " +
                string.Join(", ", leftovers) + ". Disable or rename them and set new passwords (or start with LiveBoard:Demo=true).");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SQLite library {Version} (minimum {Minimum})")]
    private static partial void LogSqlite(ILogger logger, string version, string minimum);
}
