using System.Net;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Admin;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>Organisers' account management, over the running app; each change is proven through the sign-in doors.</summary>
public sealed class UserAdminTests : RunningApp
{
    private UserAdmin Admin => Host.Service<UserAdmin>();

    private async Task<HttpStatusCode> TokenAsync(string user, string password)
    {
        using var client = SignedInClients.Anonymous(Root);
        return (await SignedInClients.RequestTokenAsync(client, user, password)).StatusCode;
    }

    [Fact]
    public async Task Organiser_creates_a_reporter_bound_to_one_district_who_can_report_only_there()
    {
        Assert.Empty(await Admin.CreateAsync(new NewUser("kailu-office", "开鲁县统计员", Roles.Reporter, "kailu", null, "Kailu2023pw"), "organiser"));
        Assert.NotEmpty(await Admin.CreateAsync(new NewUser("nobody", "x", Roles.Reporter, null, null, "Kailu2023pw"), "organiser"));
        Assert.NotEmpty(await Admin.CreateAsync(new NewUser("weak", "x", Roles.Leader, null, null, "password"), "organiser"));

        using var client = SignedInClients.Anonymous(Root);
        var token = await SignedInClients.RequestTokenAsync(client, "kailu-office", "Kailu2023pw");
        Assert.Equal(HttpStatusCode.OK, token.StatusCode);
        var summary = Assert.Single(await Admin.ListAsync(), u => u.UserName == "kailu-office");
        Assert.Equal((Roles.Reporter, "kailu"), (summary.Role, summary.DistrictCode));
    }

    [Fact]
    public async Task Disable_reset_and_unlock_take_effect_at_the_sign_in_doors_and_are_audited()
    {
        var password = SignedInClients.DemoPassword(Host);
        Assert.Empty(await Admin.SetDisabledAsync("reporter-zuohou", true, "organiser"));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync("reporter-zuohou", password));
        Assert.Empty(await Admin.SetDisabledAsync("reporter-zuohou", false, "organiser"));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync("reporter-zuohou", password));

        Assert.NotEmpty(await Admin.ResetPasswordAsync("reporter-jarud", "short", "organiser"));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync("reporter-jarud", password)); // a refused reset leaves the old password
        Assert.Empty(await Admin.ResetPasswordAsync("reporter-jarud", "Jarud2024new", "organiser"));
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync("reporter-jarud", password));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync("reporter-jarud", "Jarud2024new"));

        // Failures from three addresses lock an account (one address alone is only slowed down).
        for (var i = 0; i < 5; i++)
        {
            using var from = SignedInClients.FromAddress(Root, $"127.0.0.{2 + i % 3}");
            await SignedInClients.RequestTokenAsync(from, "leader", "wrong" + i);
        }
        Assert.NotNull(Assert.Single(await Admin.ListAsync(), u => u.UserName == "leader").LockedUntil);
        Assert.Empty(await Admin.UnlockAsync("leader", "organiser"));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync("leader", password));

        await using var db = await TestData.DbAsync(Host);
        var kinds = await db.AuditEvents.Where(e => e.Detail == "by organiser").Select(e => e.Kind).ToListAsync();
        Assert.Equal([AuditKinds.UserDisabled, AuditKinds.UserEnabled, AuditKinds.PasswordReset, AuditKinds.UserUnlocked], kinds);
    }

    [Fact]
    public async Task Disabling_an_account_ends_its_existing_token_and_cookie_at_once()
    {
        using var api = await SignedInClients.ApiAsync(Host, Root, "reporter-devzone");
        using var web = await SignedInClients.WebAsync(Host, Root, "reporter-devzone");
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/v1/campaigns/current")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await web.GetAsync("/report")).StatusCode);

        Assert.Empty(await Admin.SetDisabledAsync("reporter-devzone", true, "organiser"));

        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/campaigns/current")).StatusCode);
        var writes = await TestData.WritesAsync(Host);
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(Report("late", "devzone", "signed-projects", 40, "x"))).StatusCode);
        Assert.Equal(writes, await TestData.WritesAsync(Host));
        var page = await web.GetAsync("/report");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
    }
}
