using System.Net;
using LiveBoard.Testing;
using LiveBoard.Web.Tests.Reporting;
using Microsoft.EntityFrameworkCore;

namespace LiveBoard.Web.Tests.Security;

/// <summary>
/// Behind nginx on the same machine (docs/deploy.md) every request reaches LiveBoard from 127.0.0.1; the client is the
/// address nginx forwarded for, and that is what the audit records (MetricsAndHealthTests covers /metrics behind it).
/// </summary>
public sealed class ForwardedClientTests : RunningAppTests
{
    private const string Phone = "203.0.113.9";

    [Fact]
    public async Task Behind_a_proxy_on_this_machine_a_figure_change_records_the_client_the_proxy_forwarded_for()
    {
        using var reporter = await ApiAs("reporter-hure");
        var report = RunningApp.Report("forwarded-1", "hure", "signed-projects", 19m, "核实补报");
        report.Headers.Add("X-Forwarded-For", Phone);
        Assert.Equal(HttpStatusCode.Created, (await reporter.SendAsync(report)).StatusCode);
        await using (var db = await Db())
            Assert.Equal(Phone, (await db.FigureRevisions.OrderByDescending(r => r.Id).FirstAsync()).ClientAddress);
    }
}
