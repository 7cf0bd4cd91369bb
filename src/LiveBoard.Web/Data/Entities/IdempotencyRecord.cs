using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>
/// An accepted write kept under the caller's Idempotency-Key so that a retry (the field network is poor) gets the same
/// answer and writes nothing. Written in the same transaction as the write it answers. Keys are scoped by endpoint:
/// the same key sent to two endpoints names two requests.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    /// <summary>The endpoint the key was sent to (<see cref="IdempotencyScopes"/>).</summary>
    public string Scope { get; set; } = "";
    public required string Key { get; set; }
    /// <summary>SHA-256 of the request body: the same key with another body is the caller's mistake, not a retry.</summary>
    public required string RequestHash { get; set; }
    /// <summary>The answer returned the first time, as JSON.</summary>
    public required string Response { get; set; }
    public DateTimeOffset CreatedAt { get; set; }

    public T? Read<T>() => JsonSerializer.Deserialize<T>(Response, Idempotency.Json);
}

/// <summary>The endpoints that take an Idempotency-Key.</summary>
public static class IdempotencyScopes
{
    public const string Reports = "reports";
    public const string Scores = "scores";
    public const string Publications = "publications";
    public const string Campaigns = "campaigns";
}

/// <summary>What a write needs to be idempotent: the endpoint, the caller's key and the hash of what was sent.</summary>
public sealed record Idempotency(string Scope, string Key, string RequestHash)
{
    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The record that keeps <paramref name="response"/> under this key, to add in the write's own transaction.</summary>
    public IdempotencyRecord Record<T>(string user, T response, DateTimeOffset at) => new()
    {
        UserName = user, Scope = Scope, Key = Key, RequestHash = RequestHash, Response = JsonSerializer.Serialize(response, Json), CreatedAt = at,
    };

    /// <summary>Whether <paramref name="seen"/> answered this very request before (same body), not another one under the same key.</summary>
    public bool IsRetryOf(IdempotencyRecord seen) => seen.RequestHash == RequestHash;
}

/// <summary>The one lookup of keys seen before, for every endpoint that takes them.</summary>
public static class IdempotencyKeys
{
    /// <summary>
    /// The records of keys already used, by user, scope and key. Read it inside the write's transaction: two racing
    /// retries then cannot both write (the unique index stops the second if they do race).
    /// </summary>
    public static async Task<Dictionary<(string UserName, string Scope, string Key), IdempotencyRecord>> SeenAsync(
        this LiveBoardDbContext db, IReadOnlyCollection<(string UserName, Idempotency Key)> wanted, CancellationToken ct = default)
    {
        if (wanted.Count == 0) return [];
        var users = wanted.Select(w => w.UserName).Distinct().ToList();
        var keys = wanted.Select(w => w.Key.Key).Distinct().ToList();
        // The index's leading columns, so SQLite looks each pair up rather than scanning every key ever used.
        var rows = await db.IdempotencyRecords.AsNoTracking().Where(r => users.Contains(r.UserName) && keys.Contains(r.Key)).ToListAsync(ct);
        return rows.ToDictionary(r => (r.UserName, r.Scope, r.Key));
    }

    public static async Task<IdempotencyRecord?> SeenAsync(this LiveBoardDbContext db, string user, Idempotency key, CancellationToken ct = default) =>
        (await db.SeenAsync([(user, key)], ct)).GetValueOrDefault((user, key.Scope, key.Key));
}
