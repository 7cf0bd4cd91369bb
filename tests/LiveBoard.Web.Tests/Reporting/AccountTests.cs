using System.Net;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Accounts;
using LiveBoard.Web.Features.Admin;
using LiveBoard.Web.Tests.Security;
using Microsoft.AspNetCore.Cryptography.KeyDerivation;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace LiveBoard.Web.Tests.Reporting;

public sealed class AccountTests
{
    private static readonly string[] Districts = ["horqin", "huolingol", "kailu", "zuozhong", "zuohou", "hure", "naiman", "jarud", "devzone"];

    [Fact]
    public async Task Demo_mode_creates_every_demo_account_with_its_role_and_binding()
    {
        await using var host = new LiveBoardHost();
        host.Start();
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();

        Assert.Equal(2 + 9 + 6, await users.Users.CountAsync());
        Assert.Single(await users.GetUsersInRoleAsync(Roles.Organiser), u => u.UserName == "organiser");
        Assert.Single(await users.GetUsersInRoleAsync(Roles.Leader), u => u.UserName == "leader");
        var reporters = await users.GetUsersInRoleAsync(Roles.Reporter);
        Assert.Equal(Districts.Select(d => ("reporter-" + d, d)).Order(), reporters.Select(u => (u.UserName!, u.DistrictCode!)).Order());
        var observers = await users.GetUsersInRoleAsync(Roles.Observer);
        Assert.Equal(["observer-north-1", "observer-north-2", "observer-north-3", "observer-south-1", "observer-south-2", "observer-south-3"],
            observers.Select(u => u.UserName!).Order());
        Assert.All(observers, o => Assert.Contains(o.TouringGroupCode, new[] { "south", "north" }));
        var organiser = await users.FindByNameAsync("organiser");
        Assert.True(await users.CheckPasswordAsync(organiser!, DemoAccounts.DefaultPassword));
    }

    // Test hosts hash with fewer rounds (LiveBoardHost.TestPasswordRounds); the app itself must keep the hasher's full
    // work factor, which an attacker holding a copy of the database has to pay per guess.
    [Fact]
    public async Task The_app_stores_passwords_as_PBKDF2_SHA512_with_at_least_100000_rounds()
    {
        await using var host = new LiveBoardHost(appPasswordHashing: true);
        host.Start();
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();
        var organiser = await users.FindByNameAsync(DemoAccounts.Organiser);

        // ASP.NET Core Identity's format 3: 0x01, then the PRF, the round count and the salt length, each 4 bytes big-endian.
        var hash = Convert.FromBase64String(organiser!.PasswordHash!);
        Assert.Equal(0x01, hash[0]);
        Assert.Equal((uint)KeyDerivationPrf.HMACSHA512, System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(1)));
        var rounds = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(hash.AsSpan(5));
        Assert.True(rounds >= 100_000, $"the demo organiser's password was hashed with {rounds} rounds");
        Assert.True(rounds > LiveBoardHost.TestPasswordRounds);
        Assert.True(await users.CheckPasswordAsync(organiser, DemoAccounts.DefaultPassword));
    }

    [Fact]
    public async Task Demo_password_comes_from_LIVEBOARD_DEMO_PASSWORD_and_without_demo_mode_no_account_exists()
    {
        await using (var custom = new LiveBoardHost(settings: new() { [DemoAccounts.PasswordVariable] = "Another2024pw" }))
        {
            var root = custom.Start();
            using var client = SignedInClients.Anonymous(root);
            Assert.Equal(HttpStatusCode.OK, (await SignedInClients.RequestTokenAsync(client, "leader", "Another2024pw")).StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignedInClients.RequestTokenAsync(client, "leader", DemoAccounts.DefaultPassword)).StatusCode);
        }

        await using var real = new LiveBoardHost(settings: new() { ["LiveBoard:Demo"] = "false" });
        var realRoot = real.Start();
        await using var db = await TestData.DbAsync(real);
        Assert.Equal(0, await db.Users.CountAsync());
        using var anonymous = SignedInClients.Anonymous(realRoot);
        Assert.DoesNotContain("data-testid=\"demo-banner\"", await anonymous.GetStringAsync("/account/login"));
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignedInClients.RequestTokenAsync(anonymous, "organiser", DemoAccounts.DefaultPassword)).StatusCode);
    }

    [Fact]
    public async Task Without_demo_mode_the_first_organiser_comes_from_configuration()
    {
        await using var host = new LiveBoardHost(settings: new()
        {
            ["LiveBoard:Demo"] = "false", ["LiveBoard:Organiser:UserName"] = "city-office", ["LiveBoard:Organiser:Password"] = "Office2023pw",
        });
        var root = host.Start();
        using var client = SignedInClients.Anonymous(root);
        Assert.Equal(HttpStatusCode.OK, (await SignedInClients.RequestTokenAsync(client, "city-office", "Office2023pw")).StatusCode);
        await using var db = await TestData.DbAsync(host);
        Assert.Equal(1, await db.Users.CountAsync());
    }

    [Theory]
    [InlineData("short1", false)]
    [InlineData("onlyletters", false)]
    [InlineData("1234567890", false)]
    [InlineData("letters4and2digits", true)]
    public async Task Password_policy_needs_eight_characters_with_letters_and_digits(string password, bool accepted)
    {
        await using var host = new LiveBoardHost(settings: new() { ["LiveBoard:Demo"] = "false" });
        host.Start();
        await using var scope = host.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();
        var result = await users.CreateAsync(new LiveBoardUser { UserName = "someone" }, password);
        Assert.Equal(accepted, result.Succeeded);
    }

    [Fact]
    public async Task Login_form_signs_in_and_out_and_both_are_audited()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        using var client = SignedInClients.Anonymous(root);
        var loginPage = await client.GetStringAsync("/account/login");
        Assert.Contains("data-testid=\"demo-banner\"", loginPage);

        var response = await SignedInClients.PostLoginAsync(client, "reporter-hure", SignedInClients.DemoPassword(host), "/report");
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/report", response.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/report")).StatusCode);

        var logoutForm = await client.GetStringAsync("/report");
        var token = System.Text.RegularExpressions.Regex.Match(logoutForm, "name=\"__RequestVerificationToken\" value=\"([^\"]+)\"").Groups[1].Value;
        var logout = await client.PostAsync("/account/logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token),
        }));
        Assert.Equal(HttpStatusCode.Redirect, logout.StatusCode);
        var after = await client.GetAsync("/report");
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
        Assert.StartsWith("/account/login", after.Headers.Location!.PathAndQuery);

        await using var db = await TestData.DbAsync(host);
        var kinds = await db.AuditEvents.Where(a => a.UserName == "reporter-hure").OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync();
        Assert.Equal([AuditKinds.LoginSucceeded, AuditKinds.Logout], kinds);
    }

    [Fact]
    public async Task Login_never_redirects_off_the_site()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        foreach (var returnUrl in new[] { "//evil.example/phish", "/\\evil.example", "https://evil.example/" })
        {
            using var client = SignedInClients.Anonymous(root);
            var response = await SignedInClients.PostLoginAsync(client, "leader", SignedInClients.DemoPassword(host), returnUrl);
            Assert.Equal("/", response.Headers.Location?.ToString());
        }
    }

    [Fact]
    public async Task One_address_failing_again_and_again_is_slowed_down_but_locks_nobody_out()
    {
        var clock = new AdjustableClock();
        await using var host = new LiveBoardHost(clock: clock);
        var root = host.Start();
        var password = SignedInClients.DemoPassword(host);
        using var attacker = SignedInClients.FromAddress(root, "127.0.0.7");
        // Five free failures against the organiser; the sixth makes the address wait before its next attempt.
        for (var i = 0; i < 6; i++)
            Assert.Equal(HttpStatusCode.Unauthorized, (await SignedInClients.RequestTokenAsync(attacker, "organiser", "wrong-password-" + i)).StatusCode);
        // The first wait is 1 s, less than the next requests may take on a loaded machine: the app's clock is held back a
        // minute so that the wait is still running when they arrive (the doubling itself: SignInThrottleTests).
        clock.Offset -= TimeSpan.FromMinutes(1);
        var throttled = await SignedInClients.RequestTokenAsync(attacker, "organiser", password);
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.NotNull(throttled.Headers.RetryAfter);
        // The form from that address says so too, without checking the password.
        var form = await SignedInClients.PostLoginAsync(attacker, "organiser", password);
        Assert.Contains("error=throttled", form.Headers.Location!.ToString());

        // The organiser, from their own address, signs in as ever: nothing was locked.
        using var organiser = SignedInClients.FromAddress(root, "127.0.0.8");
        Assert.Equal(HttpStatusCode.OK, (await SignedInClients.RequestTokenAsync(organiser, "organiser", password)).StatusCode);
        await using var db = await TestData.DbAsync(host);
        Assert.Null((await db.Users.SingleAsync(u => u.UserName == "organiser")).LockoutEnd);

        // The two throttled attempts (API and form) are counted with the other refusals once their minute is over; the
        // six failed passwords before them are sign-in failures of their own, not refusals.
        clock.Offset += TimeSpan.FromMinutes(3);
        await Eventually.Until(async () => (await RefusalTotals.ForAsync(db, "127.0.0.7")).Rows > 0, what: "the throttled sign-ins' refusal row");
        var refused = await RefusalTotals.ForAsync(db, "127.0.0.7");
        Assert.Equal(2, refused.Count);
        Assert.Equal(2, refused.Of(RefusalReasons.SignInThrottled));
        Assert.Equal(["/api/v1/auth/token", "/account/login"], refused.Paths);
        Assert.Equal(["organiser"], refused.Accounts);
    }

    [Fact]
    public async Task Failures_from_three_addresses_lock_the_account_for_fifteen_minutes_on_the_form_and_the_api_alike()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        var password = SignedInClients.DemoPassword(host);
        var addresses = new[] { "127.0.0.2", "127.0.0.3", "127.0.0.4" };
        for (var i = 0; i < 5; i++)
        {
            using var client = SignedInClients.FromAddress(root, addresses[i % 3]);
            var failed = await SignedInClients.PostLoginAsync(client, "reporter-naiman", "wrong-password-" + i);
            Assert.Contains("error=invalid", failed.Headers.Location!.ToString());
        }
        // The right password no longer helps, on either door, from any address; the answer is the one a wrong password gets.
        using var fresh = SignedInClients.FromAddress(root, "127.0.0.5");
        var locked = await SignedInClients.PostLoginAsync(fresh, "reporter-naiman", password);
        Assert.Contains("error=invalid", locked.Headers.Location!.ToString());
        var token = await SignedInClients.RequestTokenAsync(fresh, "reporter-naiman", password);
        Assert.Equal(HttpStatusCode.Unauthorized, token.StatusCode);
        Assert.Contains("Invalid user name or password", await token.Content.ReadAsStringAsync());

        await using var db = await TestData.DbAsync(host);
        var user = await db.Users.SingleAsync(u => u.UserName == "reporter-naiman");
        var lockedFor = user.LockoutEnd!.Value - DateTimeOffset.UtcNow;
        Assert.InRange(lockedFor.TotalMinutes, 14, 15.01);
        var kinds = await db.AuditEvents.Where(a => a.UserName == "reporter-naiman").OrderBy(a => a.Id).Select(a => a.Kind).ToListAsync();
        Assert.Equal(1, kinds.Count(k => k == AuditKinds.LockedOut));
        Assert.Equal(7, kinds.Count(k => k == AuditKinds.LoginFailed));
        // Another account is not affected.
        Assert.Equal(HttpStatusCode.OK, (await SignedInClients.RequestTokenAsync(fresh, "reporter-hure", password)).StatusCode);
    }

    [Fact]
    public async Task Unknown_user_wrong_password_and_locked_account_get_the_same_answer()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();
            await users.SetLockoutEndDateAsync((await users.FindByNameAsync("reporter-kailu"))!, DateTimeOffset.UtcNow.AddMinutes(15));
        }
        using var client = SignedInClients.Anonymous(root);
        async Task<string> Answer(string user, string password)
        {
            using var response = await SignedInClients.RequestTokenAsync(client, user, password);
            var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            return $"{(int)response.StatusCode} {body.GetProperty("title").GetString()}";
        }
        var unknown = await Answer("nobody-here", "Wrong-pass-1");
        Assert.Equal("401 Invalid user name or password", unknown);
        Assert.Equal(unknown, await Answer("reporter-horqin", "Wrong-pass-1"));
        Assert.Equal(unknown, await Answer("reporter-kailu", SignedInClients.DemoPassword(host)));
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in()
    {
        await using var host = new LiveBoardHost();
        var root = host.Start();
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<LiveBoardUser>>();
            var user = await users.FindByNameAsync("reporter-kailu");
            user!.Disabled = true;
            await users.UpdateAsync(user);
        }
        using var client = SignedInClients.Anonymous(root);
        var response = await SignedInClients.PostLoginAsync(client, "reporter-kailu", SignedInClients.DemoPassword(host));
        Assert.Contains("error=disabled", response.Headers.Location!.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await SignedInClients.RequestTokenAsync(client, "reporter-kailu", SignedInClients.DemoPassword(host))).StatusCode);
    }

    [Fact]
    public async Task Sign_in_attempts_are_rate_limited_per_address()
    {
        await using var host = new LiveBoardHost(settings: new() { ["LiveBoard:RateLimits:AuthPerMinute"] = "3" });
        var root = host.Start();
        using var client = SignedInClients.Anonymous(root);
        var codes = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++) codes.Add((await SignedInClients.RequestTokenAsync(client, "leader", "nope12345")).StatusCode);
        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], codes);
    }
}

public sealed class SessionSettingsTests
{
    [Fact]
    public async Task Idle_timeout_is_sliding_and_configurable_with_30_minutes_by_default()
    {
        foreach (var (setting, minutes) in new[] { ((string?)null, 30), ("5", 5) })
        {
            await using var host = new LiveBoardHost(settings: setting is null ? null : new() { ["LiveBoard:IdleTimeoutMinutes"] = setting });
            host.Start();
            var cookie = host.Service<Microsoft.Extensions.Options.IOptionsMonitor<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions>>()
                .Get(IdentityConstants.ApplicationScheme);
            Assert.Equal((TimeSpan.FromMinutes(minutes), true), (cookie.ExpireTimeSpan, cookie.SlidingExpiration));
        }
    }
}
