using System.Text.Json;
using LiveBoard.Web.Data;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Security;

/// <summary>
/// What the refusal audit holds for one client address, added up over its rows: a test that runs across the turn of a
/// minute leaves two rows for one burst, and what a reader checks is the burst.
/// </summary>
public sealed record RefusalTotals(int Rows, int Count, IReadOnlyDictionary<string, int> Reasons, IReadOnlyList<string> Paths, IReadOnlyList<string> Accounts)
{
    public int Of(string reason) => Reasons.GetValueOrDefault(reason);

    public static async Task<RefusalTotals> ForAsync(LiveBoardDbContext db, string address)
    {
        var rows = await db.AuditEvents.AsNoTracking().Where(a => a.Kind == AuditKinds.Refused && a.RemoteAddress == address).ToListAsync();
        var reasons = new Dictionary<string, int>();
        var paths = new List<string>();
        var count = 0;
        foreach (var row in rows)
        {
            var detail = JsonDocument.Parse(row.Detail).RootElement;
            count += detail.GetProperty("count").GetInt32();
            foreach (var reason in detail.GetProperty("reasons").EnumerateObject()) reasons[reason.Name] = reasons.GetValueOrDefault(reason.Name) + reason.Value.GetInt32();
            paths.AddRange(detail.GetProperty("paths").EnumerateArray().Select(p => p.GetString()!).Where(p => !paths.Contains(p)));
        }
        var accounts = rows.SelectMany(r => r.UserName.Split(", ", StringSplitOptions.RemoveEmptyEntries)).Distinct().ToList();
        return new RefusalTotals(rows.Count, count, reasons, paths, accounts);
    }
}
