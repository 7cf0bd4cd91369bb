namespace LiveBoard.Web.Features.Reporting;

/// <summary>
/// An accepted API report, kept under the caller's Idempotency-Key so that a retry (the field network is poor)
/// gets the same answer and writes nothing. Written in the same transaction as the figures it reports.
/// </summary>
public sealed class IdempotencyRecord
{
    public long Id { get; set; }
    public required string UserName { get; set; }
    public required string Key { get; set; }
    /// <summary>SHA-256 of the request body: the same key with another body is the caller's mistake, not a retry.</summary>
    public required string RequestHash { get; set; }
    /// <summary>The receipt returned with 201, as JSON.</summary>
    public required string Response { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>What a report needs to be idempotent: the caller's key and the hash of what was sent.</summary>
public sealed record Idempotency(string Key, string RequestHash);
