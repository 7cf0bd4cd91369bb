using LiveBoard.Web.Data;
using LiveBoard.Web.Operations.Backups;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Operations;

/// <summary>Running LiveBoard for real: backups, the instance lock, metrics, health.</summary>
public static class OperationsExtensions
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddSingleton<BackupFolder>();
        services.AddHostedService<AutomaticBackups>();
        return services;
    }

    /// <summary>
    /// Before migrations run: marks the database as used by this instance (a restore then refuses), and backs the file
    /// up when migrations are about to change it, so an upgrade can be undone by restoring that copy.
    /// </summary>
    public static async Task BeforeMigratingAsync(this WebApplication app, LiveBoardDbContext db)
    {
        if (SqliteBackup.DatabaseFile(db.Database.GetConnectionString()!) is not { } file) return;
        var instance = InstanceLock.TakeShared(file);
        app.Lifetime.ApplicationStopped.Register(instance.Dispose);
        if (!File.Exists(file) || !(await db.Database.GetAppliedMigrationsAsync()).Any()) return;
        if ((await db.Database.GetPendingMigrationsAsync()).Any())
            await app.Services.GetRequiredService<BackupFolder>().TakeAsync(BackupFolder.BeforeMigration);
    }
}
