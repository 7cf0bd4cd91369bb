using System.Net.Http.Json;
using LiveBoard.Testing;
using MiniExcelLibs;

namespace LiveBoard.Web.Tests.Reporting;

/// <summary>A test class that shares one running app (real Kestrel, its own SQLite file) across its steps.</summary>
public abstract class RunningApp : IAsyncLifetime
{
    protected LiveBoardHost Host { get; } = new();
    protected Uri Root { get; private set; } = default!;

    public Task InitializeAsync()
    {
        Root = Host.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>POST /api/v1/reports with an idempotency key.</summary>
    public static HttpRequestMessage Report(string key, object body) =>
        new(HttpMethod.Post, "/api/v1/reports") { Content = JsonContent.Create(body), Headers = { { "Idempotency-Key", key } } };

    /// <summary>A one-value report body.</summary>
    public static HttpRequestMessage Report(string key, string district, string indicator, decimal value, string? reason, int? expectedVersion = null) =>
        Report(key, new { district, values = new[] { new { indicator, value, reason, expectedVersion } } });

    /// <summary>The import template as the signed-in user downloads it, one dictionary per row.</summary>
    protected async Task<List<Dictionary<string, object?>>> TemplateAsync(string user, string? district, string culture = "zh-CN")
    {
        using var web = await SignedInClients.WebAsync(Host, Root, user);
        var response = await web.GetAsync($"/import/template?culture={culture}" + (district is null ? "" : "&district=" + district));
        response.EnsureSuccessStatusCode();
        using var stream = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        return stream.Query(useHeaderRow: true, excelType: ExcelType.XLSX)
            .Select(r => new Dictionary<string, object?>((IDictionary<string, object?>)r)).ToList();
    }

    public static MemoryStream Workbook(IEnumerable<Dictionary<string, object?>> rows)
    {
        var stream = new MemoryStream();
        stream.SaveAs(rows, excelType: ExcelType.XLSX);
        stream.Position = 0;
        return stream;
    }
}
