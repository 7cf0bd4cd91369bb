using System.Text.Json;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Data;

/// <summary>
/// The one way audit rows are made. <see cref="AppendAsync"/> writes an event on its own (sign-ins, account changes);
/// a write that must be audited in its own transaction adds <see cref="Event"/> to that transaction instead.
/// There is deliberately no update or delete here.
/// </summary>
public sealed class AuditLog(IDbContextFactory<LiveBoardDbContext> dbFactory, TimeProvider clock)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <param name="clientAddress">where it came from, when there is no request to read it from (an open page)</param>
    public async Task AppendAsync(string kind, string userName, string channel, string detail = "", HttpContext? http = null, string? clientAddress = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(), Kind = kind, UserName = Truncate(userName, 256), Channel = channel, Detail = Truncate(detail, AuditEvent.DetailLength),
            RequestId = http?.TraceIdentifier, RemoteAddress = clientAddress ?? ClientAddress.Of(http),
        });
        // Not the caller's cancellation: an audit row for something that happened must not be lost to a closed tab.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>An audit row whose detail is the JSON of old and new values, cut to the column's length.</summary>
    public static AuditEvent Event(string kind, string user, string channel, string? requestId, DateTimeOffset at, object detail) => new()
    {
        At = at, Kind = kind, UserName = Truncate(user, 256), Channel = channel, RequestId = requestId,
        Detail = Truncate(JsonSerializer.Serialize(detail, Json), AuditEvent.DetailLength),
    };

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
