using System.Collections.Concurrent;
using System.Net;

namespace LiveBoard.Web.Features.Accounts;

/// <summary>
/// Who may try a password now. The rule (docs/security.md):
/// <list type="bullet">
/// <item>Per client address: the first <c>LiveBoard:SignIn:FreeFailuresPerAddress</c> (default 5) failures cost nothing;
/// after that the address waits 1 s before its next attempt, then 2 s, 4 s, … up to 15 minutes, doubling with each
/// further failure. A success from the address clears it. An attempt during the wait is refused without a password check.</item>
/// <item>Per account: locked for 15 minutes only after 5 failures from at least <c>LiveBoard:SignIn:LockoutAddresses</c>
/// (default 3) different addresses within 15 minutes. One address alone, however persistent, only slows itself down:
/// it cannot lock anyone out, the organiser included.</item>
/// </list>
/// State is in memory (one process); a restart forgets it, which costs an attacker's back-off, never a user's access.
/// </summary>
public sealed class SignInThrottle(IConfiguration config, TimeProvider clock)
{
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(15);
    public const int FailuresToLock = 5;
    private const int MaxRemembered = 50_000;

    private readonly int _freeFailures = config.GetValue("LiveBoard:SignIn:FreeFailuresPerAddress", 5);
    private readonly int _lockoutAddresses = config.GetValue("LiveBoard:SignIn:LockoutAddresses", 3);

    private sealed record AddressState(int Failures, DateTimeOffset Last);

    private readonly ConcurrentDictionary<string, AddressState> _addresses = new();
    private readonly ConcurrentDictionary<string, List<(string Address, DateTimeOffset At)>> _accounts = new();

    public static string Key(IPAddress? address) => address?.ToString() ?? "?";

    /// <summary>How long this address must still wait before a password is checked for it (zero: go ahead).</summary>
    public TimeSpan WaitFor(IPAddress? address)
    {
        if (!_addresses.TryGetValue(Key(address), out var state) || state.Failures <= _freeFailures) return TimeSpan.Zero;
        var wait = state.Last + BackOff(state.Failures - _freeFailures) - clock.GetUtcNow();
        return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
    }

    /// <summary>1 s after the first failure beyond the free ones, doubling, at most <see cref="MaxBackOff"/>.</summary>
    public static TimeSpan BackOff(int beyondFree) =>
        beyondFree <= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(MaxBackOff.TotalSeconds, Math.Pow(2, Math.Min(beyondFree - 1, 30))));

    /// <summary>Counts a failure; true when the account (if one was named) must now be locked.</summary>
    public bool Failed(IPAddress? address, string? accountId)
    {
        var now = clock.GetUtcNow();
        Forget(now);
        _addresses.AddOrUpdate(Key(address), _ => new AddressState(1, now), (_, s) => new AddressState(s.Failures + 1, now));
        if (accountId is null) return false;
        var failures = _accounts.GetOrAdd(accountId, _ => []);
        lock (failures)
        {
            failures.RemoveAll(f => now - f.At > FailureWindow);
            failures.Add((Key(address), now));
            if (failures.Count < FailuresToLock || failures.Select(f => f.Address).Distinct().Count() < _lockoutAddresses) return false;
            // The lock itself is the account's state from here on: the next failures count towards the next lock.
            failures.Clear();
            return true;
        }
    }

    public void Succeeded(IPAddress? address, string accountId)
    {
        _addresses.TryRemove(Key(address), out _);
        _accounts.TryRemove(accountId, out _);
    }

    /// <summary>Bounded memory under a flood from many addresses: entries past every window go first, then all.</summary>
    private void Forget(DateTimeOffset now)
    {
        if (_addresses.Count + _accounts.Count < MaxRemembered) return;
        foreach (var (key, state) in _addresses)
            if (now - state.Last > MaxBackOff + FailureWindow) _addresses.TryRemove(key, out _);
        foreach (var (key, list) in _accounts)
            lock (list)
                if (list.Count == 0 || now - list[^1].At > FailureWindow) _accounts.TryRemove(key, out _);
        if (_addresses.Count + _accounts.Count >= MaxRemembered)
        {
            _addresses.Clear();
            _accounts.Clear();
        }
    }
}
