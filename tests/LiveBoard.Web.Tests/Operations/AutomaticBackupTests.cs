using System.Diagnostics;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Meeting;
using LiveBoard.Web.Operations;
using LiveBoard.Web.Operations.Backups;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>Backups the app takes by itself: at each publication and before migrating; and the verb of the real dll.</summary>
public sealed class AutomaticBackupTests
{
    private static Dictionary<string, string?> Settings(string folder) => new()
    {
        ["LiveBoard:Backup:Folder"] = folder,
        ["LiveBoard:Backup:IntervalMinutes"] = "0",
    };

    internal static string NewFolder() => Path.Combine(Path.GetTempPath(), "liveboard-tests", "backups-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Publishing_a_ranking_leaves_a_verified_backup_holding_that_publication()
    {
        var folder = NewFolder();
        await using var host = new LiveBoardHost(settings: Settings(folder));
        host.Start();
        var backups = host.Service<BackupFolder>();
        Assert.Empty(backups.List());

        var published = await host.Service<PublicationService>().PublishAsync(new DateOnly(2023, 7, 29), "第一天点评会", "organiser", Channels.Web);
        Assert.NotNull(published);

        await BackupRestoreTests.WaitUntilAsync(() => backups.List().Any(b => b.Reason == BackupFolder.Publication), "the publication backup");
        var listed = Assert.Single(backups.List());
        Assert.True(listed.Verified);
        var file = backups.Find(listed.Name)!;
        await using var copy = new SqliteConnection($"Data Source={file};Mode=ReadOnly;Pooling=false");
        await copy.OpenAsync();
        await using var count = copy.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM PublishedRankings WHERE Id = $id;";
        count.Parameters.AddWithValue("$id", published.Id);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
        Assert.Null(backups.Find("../" + listed.Name));
    }

    [Fact]
    public async Task Starting_on_a_database_with_pending_migrations_backs_it_up_before_migrating()
    {
        var database = TempPaths.NewDatabase();
        var options = new DbContextOptionsBuilder<LiveBoardDbContext>().UseSqlite($"Data Source={database};Pooling=false").Options;
        await using (var old = new LiveBoardDbContext(options))
        {
            var first = old.Database.GetMigrations().First();
            await old.GetService<IMigrator>().MigrateAsync(first);
        }
        var folder = NewFolder();
        await using var host = new LiveBoardHost(database, Settings(folder));
        host.Start();

        var backup = Assert.Single(host.Service<BackupFolder>().List());
        Assert.Equal(BackupFolder.BeforeMigration, backup.Reason);
        var check = await SqliteBackup.VerifyAsync(Path.Combine(folder, backup.Name));
        Assert.Equal(1, check.Rows["__EFMigrationsHistory"]);
        // Started again with nothing pending: no second copy.
        await host.DisposeAsync();
        await using var again = new LiveBoardHost(database, Settings(folder));
        again.Start();
        Assert.Single(again.Service<BackupFolder>().List());
    }

    [Fact]
    public async Task The_backup_verb_of_LiveBoard_Web_dll_copies_a_running_instances_database()
    {
        await using var host = new LiveBoardHost(settings: Settings(NewFolder()));
        host.Start();
        var target = TempPaths.NewDatabase();
        var dll = Path.Combine(AppContext.BaseDirectory, "LiveBoard.Web.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in new[] { dll, "backup", target, $"--ConnectionStrings:LiveBoard={host.ConnectionString}" }) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);

        Assert.True(process.ExitCode == OperationsCommands.Done, await stderr);
        Assert.Contains($"to {target}", await stdout);
        Assert.Contains("integrity_check: ok", await stdout);
        Assert.True((await SqliteBackup.VerifyAsync(target)).Rows["Figures"] > 0);
        // It served no web requests: the verb ran and exited.
        Assert.DoesNotContain("Now listening", await stdout);
    }
}
