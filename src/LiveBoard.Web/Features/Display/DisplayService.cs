using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using LiveBoard.Web.Data;
using LiveBoard.Web.Live;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Display;

public sealed record NewScreen(string Name, string? Slug = null, IReadOnlyList<string>? Playlist = null,
    int IntervalSeconds = 20, string? PinnedPanel = null, string Theme = "dark");

/// <summary>A screen with the one moment its key is visible: right after creation or rotation.</summary>
public sealed record ScreenWithKey(Screen Screen, string Key)
{
    public string RelativeUrl => DisplayService.Url(Screen.Slug, Key);
}

/// <summary>Creates screens, rotates and revokes their keys, and checks a key presented by a wall PC.</summary>
/// <remarks>
/// A key that opened a screen is remembered: when a venue's walls and LED controllers reconnect at once after a restart,
/// every connection presents one of a handful of keys, and a database query per connection was a large part of what
/// the reconnection cost (BENCHMARKS.md, reconnect storm). Every change to a screen (rotation, revocation, mode) is
/// announced on the change feed as <see cref="ScreenAccessChanged"/>, which reaches every instance; it, and a resync of
/// the feed (an announcement may have been missed), forget every remembered key. Unknown keys are not remembered: a
/// stranger guessing keys must not fill the memory.
/// </remarks>
public sealed class DisplayService : IDisposable
{
    private readonly IDbContextFactory<LiveBoardDbContext> dbFactory;
    private readonly IChangeFeed feed;
    private readonly TimeProvider clock;
    private readonly IDisposable _subscription;
    // Key hash → the screen it opened. Counted forgets: a lookup that began before one does not remember what it read.
    private readonly ConcurrentDictionary<string, Screen> _opened = new();
    private long _forgets;

    public DisplayService(IDbContextFactory<LiveBoardDbContext> dbFactory, IChangeFeed feed, TimeProvider clock)
    {
        this.dbFactory = dbFactory;
        this.feed = feed;
        this.clock = clock;
        _subscription = feed.Subscribe(change =>
        {
            if (change is ScreenAccessChanged or FeedResynced) Forget();
            return Task.CompletedTask;
        });
    }

    private void Forget()
    {
        Interlocked.Increment(ref _forgets);
        _opened.Clear();
    }

    public void Dispose() => _subscription.Dispose();

    /// <summary>
    /// The HttpOnly cookie that carries a screen's key once its page was opened with <c>?key=…</c>: on the screen's own
    /// path (a reload opens the screen without the key in the address) and on /_blazor (its circuit counts as a screen).
    /// </summary>
    public const string ScreenCookie = "lb-screen";

    public static string Url(string slug, string key) => $"/display/{Uri.EscapeDataString(slug)}?key={Uri.EscapeDataString(key)}";

    public async Task<ScreenWithKey> CreateAsync(NewScreen request, string? key = null, CancellationToken ct = default)
    {
        var playlist = (request.Playlist is { Count: > 0 } p ? p : PanelIds.All).ToList();
        if (playlist.FirstOrDefault(id => !PanelIds.IsKnown(id)) is { } unknown)
            throw new ArgumentException($"Unknown panel '{unknown}'.", nameof(request));
        if (request.PinnedPanel is { } pinned && !PanelIds.IsKnown(pinned))
            throw new ArgumentException($"Unknown panel '{pinned}'.", nameof(request));
        key ??= NewKey();
        var screen = new Screen
        {
            Slug = Slugify(request.Slug ?? request.Name),
            Name = request.Name.Trim(),
            KeyHash = Hash(key),
            Playlist = playlist,
            // Shorter than 5 s a viewer cannot read a panel; longer than an hour the playlist is pointless.
            IntervalSeconds = Math.Clamp(request.IntervalSeconds, 5, 3600),
            PinnedPanel = request.PinnedPanel,
            Theme = request.Theme,
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        if (await db.Screens.AnyAsync(s => s.Slug == screen.Slug, ct))
            screen.Slug = $"{screen.Slug}-{RandomNumberGenerator.GetHexString(4, lowercase: true)}";
        db.Screens.Add(screen);
        await db.SaveChangesAsync(ct);
        return new ScreenWithKey(screen, key);
    }

    /// <summary>Issues a new key (and un-revokes the screen); the old key stops working at once.</summary>
    public async Task<ScreenWithKey?> RotateKeyAsync(string slug, CancellationToken ct = default)
    {
        var key = NewKey();
        var screen = await UpdateAsync(slug, s =>
        {
            s.KeyHash = Hash(key);
            s.KeyRotatedAt = clock.GetUtcNow();
            s.RevokedAt = null;
        }, ct);
        return screen is null ? null : new ScreenWithKey(screen, key);
    }

    /// <summary>
    /// Puts a screen into meeting mode for <paramref name="meetingDay"/>, or back to its playlist (null): durable and
    /// audited (old and new mode) before the screen's open pages hear of it. Null for an unknown screen.
    /// </summary>
    public async Task<Screen?> SetModeAsync(string slug, DateOnly? meetingDay, string by, string channel, CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var screen = await db.Screens.FirstOrDefaultAsync(s => s.Slug == slug, ct);
        if (screen is null) return null;
        var old = screen.MeetingDay;
        if (old == meetingDay) return screen;
        screen.MeetingDay = meetingDay;
        var now = clock.GetUtcNow();
        db.AuditEvents.Add(AuditLog.Event(ModeAuditKind, by, channel, null, now, new { screen = slug, old = Mode(old), @new = Mode(meetingDay) }));
        await db.SaveChangesAsync(ct);
        // The open pages re-read their screen on this event, as after a key change, and so pick the mode up.
        await feed.PublishAsync(new ScreenAccessChanged(slug, now), CancellationToken.None);
        return screen;
    }

    public const string ModeAuditKind = "screen.mode";

    /// <summary>A screen's mode as the API and the audit write it: "playlist" or "meeting yyyy-MM-dd".</summary>
    public static string Mode(DateOnly? meetingDay) =>
        meetingDay is { } d ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"meeting {d:yyyy-MM-dd}") : "playlist";

    public async Task<bool> RevokeAsync(string slug, CancellationToken ct = default) =>
        await UpdateAsync(slug, s => s.RevokedAt = clock.GetUtcNow(), ct) is not null;

    public async Task<IReadOnlyList<Screen>> ListAsync(CancellationToken ct = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Screens.AsNoTracking().OrderBy(s => s.Name).ToListAsync(ct);
    }

    /// <summary>The screen this key opens, or null for an unknown screen, a wrong key or a revoked screen.</summary>
    public async Task<Screen?> AuthoriseAsync(string slug, string? key, CancellationToken ct = default) =>
        await AuthoriseAnyAsync(key, ct) is { } screen && screen.Slug == slug ? screen : null;

    /// <summary>The screen any valid key opens (the public hub is authorised by a key alone).</summary>
    /// <remarks>The screen returned may be shared with other callers: read it, do not change it.</remarks>
    public async Task<Screen?> AuthoriseAnyAsync(string? key, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(key)) return null;
        var hash = Hash(key);
        if (_opened.TryGetValue(hash, out var known)) return known;
        var forgets = Interlocked.Read(ref _forgets);
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var screen = await db.Screens.AsNoTracking().FirstOrDefaultAsync(s => s.KeyHash == hash && s.RevokedAt == null, ct);
        // Read before a rotation or revocation was announced: it may already be out of date, so it is not kept.
        if (screen is not null && Interlocked.Read(ref _forgets) == forgets)
        {
            _opened[hash] = screen;
            if (Interlocked.Read(ref _forgets) != forgets) _opened.TryRemove(hash, out _);
        }
        return screen;
    }

    private async Task<Screen?> UpdateAsync(string slug, Action<Screen> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var screen = await db.Screens.FirstOrDefaultAsync(s => s.Slug == slug, ct);
        if (screen is null) return null;
        change(screen);
        await db.SaveChangesAsync(ct);
        // Durable first, then announced: an open page re-checks its key and drops to "not authorised".
        await feed.PublishAsync(new ScreenAccessChanged(slug, clock.GetUtcNow()), CancellationToken.None);
        return screen;
    }

    public static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24))
        .Replace('+', '-').Replace('/', '_');

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>Lower-case ASCII letters, digits and dashes; a Chinese-only name becomes "screen".</summary>
    public static string Slugify(string text)
    {
        var sb = new StringBuilder();
        foreach (var c in text.Trim().ToLowerInvariant())
            if (char.IsAsciiLetterOrDigit(c)) sb.Append(c);
            else if (sb.Length > 0 && sb[^1] != '-') sb.Append('-');
        var slug = sb.ToString().Trim('-');
        return slug.Length == 0 ? "screen" : slug[..Math.Min(slug.Length, 40)];
    }
}
