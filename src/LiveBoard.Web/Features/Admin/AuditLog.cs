using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Features.Admin;

/// <summary>Appends non-figure events to the audit table. There is deliberately no update or delete here.</summary>
public sealed class AuditLog(IDbContextFactory<LiveBoardDbContext> dbFactory, TimeProvider clock)
{
    public async Task AppendAsync(string kind, string userName, string channel, string detail = "", HttpContext? http = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync();
        db.AuditEvents.Add(new AuditEvent
        {
            At = clock.GetUtcNow(), Kind = kind, UserName = Truncate(userName, 256), Channel = channel, Detail = Truncate(detail, 2000),
            RequestId = http?.TraceIdentifier, RemoteAddress = http?.Connection.RemoteIpAddress?.ToString(),
        });
        // Not the caller's cancellation: an audit row for something that happened must not be lost to a closed tab.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    private static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
