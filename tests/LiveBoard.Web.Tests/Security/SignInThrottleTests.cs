using System.Net;
using LiveBoard.Web.Features.Accounts;
using Microsoft.Extensions.Configuration;

namespace LiveBoard.Web.Tests.Security;

/// <summary>The throttle alone, on a clock the test moves: the back-off doubles per address, and only many addresses lock.</summary>
public sealed class SignInThrottleTests
{
    private sealed class StoppedClock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2023, 7, 29, 1, 0, 0, TimeSpan.Zero);
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly IPAddress Attacker = IPAddress.Parse("203.0.113.9");

    [Fact]
    public void After_five_free_failures_an_address_waits_1_2_4_8_seconds_up_to_fifteen_minutes_and_a_success_clears_it()
    {
        var clock = new StoppedClock();
        var throttle = new SignInThrottle(new ConfigurationBuilder().Build(), clock);
        for (var i = 0; i < 5; i++)
        {
            Assert.False(throttle.Failed(Attacker, "organiser-id"));
            Assert.Equal(TimeSpan.Zero, throttle.WaitFor(Attacker));
        }
        var waits = new List<double>();
        for (var i = 0; i < 14; i++)
        {
            throttle.Failed(Attacker, null);
            var wait = throttle.WaitFor(Attacker);
            waits.Add(wait.TotalSeconds);
            clock.Now += wait; // the attacker waits exactly as long as told, then fails again
            Assert.Equal(TimeSpan.Zero, throttle.WaitFor(Attacker));
        }
        Assert.Equal([1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900], waits);
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor(IPAddress.Parse("198.51.100.1")));

        throttle.Failed(Attacker, null);
        throttle.Succeeded(Attacker, "organiser-id");
        Assert.Equal(TimeSpan.Zero, throttle.WaitFor(Attacker));
    }

    [Fact]
    public void An_account_locks_only_on_five_failures_from_three_addresses_within_fifteen_minutes()
    {
        var clock = new StoppedClock();
        var throttle = new SignInThrottle(new ConfigurationBuilder().Build(), clock);
        // Twenty failures from two addresses lock nothing.
        for (var i = 0; i < 20; i++) Assert.False(throttle.Failed(IPAddress.Parse($"203.0.113.{1 + i % 2}"), "leader-id"));
        // A third address's failure, within the window, locks.
        Assert.True(throttle.Failed(IPAddress.Parse("203.0.113.3"), "leader-id"));
        // Counting starts again after a lock; failures older than fifteen minutes no longer count.
        for (var i = 0; i < 4; i++) Assert.False(throttle.Failed(IPAddress.Parse($"198.51.100.{1 + i}"), "leader-id"));
        clock.Now += TimeSpan.FromMinutes(16);
        Assert.False(throttle.Failed(IPAddress.Parse("198.51.100.9"), "leader-id"));
    }
}
