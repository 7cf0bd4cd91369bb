using System.Net;
using Bunit;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Backups;
using LiveBoard.Web.Operations.Backups;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>The organisers' backup page (bUnit, real services over a real SQLite file).</summary>
public sealed class BackupPageTests : DemoBunitContext
{
    private readonly string _folder = AutomaticBackupTests.NewFolder();

    public BackupPageTests()
    {
        Services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LiveBoard:Backup:Folder"] = _folder,
        }).Build());
        Services.AddSingleton<BackupFolder>();
    }

    [Fact]
    public async Task The_page_lists_each_backup_with_its_kind_and_check_and_backs_up_on_request()
    {
        Authorization.SetAuthorized("organiser").SetRoles(Roles.Organiser);
        await Service<BackupFolder>().TakeAsync(BackupFolder.Publication);
        var page = Render<BackupsPage>();
        var row = Assert.Single(page.FindAll("[data-testid=backup-row]"));
        Assert.Contains("公布排名", page.Find("[data-testid=backups-grid]").TextContent);
        Assert.Equal("已校验", page.Find("[data-testid=backup-verified]").TextContent);
        Assert.Equal(BackupDownload.Url(row.GetAttribute("data-name")!), page.Find("[data-testid=backup-download]").GetAttribute("href"));

        await page.Find("[data-testid=backup-now] button, button[data-testid=backup-now]").ClickAsync(new());
        page.WaitForAssertion(() => Assert.Equal(2, page.FindAll("[data-testid=backup-row]").Count));
        Assert.Contains("手动", page.Find("[data-testid=backups-grid]").TextContent);
        Assert.Equal(2, Directory.EnumerateFiles(_folder, "*.db").Count());
    }
}

/// <summary>Downloading a backup over the real app: organisers only, byte for byte, on the audit record.</summary>
public sealed class BackupDownloadTests : IAsyncLifetime
{
    private readonly LiveBoardHost _host = new(settings: new()
    {
        ["LiveBoard:Backup:IntervalMinutes"] = "0",
        ["LiveBoard:Backup:Folder"] = AutomaticBackupTests.NewFolder(),
    });
    private Uri _root = default!;

    public Task InitializeAsync()
    {
        _root = _host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Organisers_download_a_backup_byte_for_byte_and_the_download_is_audited()
    {
        var backup = await _host.Service<BackupFolder>().TakeAsync(BackupFolder.Manual);
        var url = BackupDownload.Url(Path.GetFileName(backup.File));

        using var organiser = await SignedInClients.WebAsync(_host, _root, "organiser");
        var response = await organiser.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(await File.ReadAllBytesAsync(backup.File), await response.Content.ReadAsByteArrayAsync());
        await using (var db = await _host.DbAsync())
            Assert.Equal(1, await db.AuditEvents.CountAsync(e => e.Kind == BackupDownload.AuditKind && e.UserName == "organiser"));

        Assert.Equal(HttpStatusCode.NotFound, (await organiser.GetAsync(BackupDownload.Path + "/..%2Fliveboard.db")).StatusCode);
        using var leader = await SignedInClients.WebAsync(_host, _root, "leader");
        var refused = await leader.GetAsync(url);
        Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("denied", refused.Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
        using var anonymous = SignedInClients.Anonymous(_root);
        Assert.Contains("login", (await anonymous.GetAsync(url)).Headers.Location?.ToString() ?? "", StringComparison.OrdinalIgnoreCase);
    }
}
