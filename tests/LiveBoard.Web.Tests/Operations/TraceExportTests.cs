using System.Collections.Concurrent;
using System.Net;
using System.Text;
using LiveBoard.Testing;

namespace LiveBoard.Web.Tests.Operations;

/// <summary>
/// Traces leave the app only where an operator points them with the standard OTEL_EXPORTER_OTLP_ENDPOINT: here a
/// collector stand-in on 127.0.0.1 that records what the OTLP exporter posts.
/// </summary>
public sealed class TraceExportTests
{
    [Fact]
    public async Task With_OTEL_EXPORTER_OTLP_ENDPOINT_set_a_requests_span_reaches_the_collector_by_OTLP()
    {
        var port = LiveBoardHost.FreePort();
        using var collector = new HttpListener { Prefixes = { $"http://127.0.0.1:{port}/" } };
        collector.Start();
        var received = new ConcurrentQueue<(string Path, string Body)>();
        var receiving = Task.Run(async () =>
        {
            while (true)
            {
                HttpListenerContext call;
                try { call = await collector.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                using var body = new MemoryStream();
                await call.Request.InputStream.CopyToAsync(body);
                // Protobuf keeps strings as UTF-8 bytes: a route in the span shows in the body as it is.
                received.Enqueue((call.Request.Url!.AbsolutePath, Encoding.UTF8.GetString(body.ToArray())));
                call.Response.StatusCode = 200;
                call.Response.Close();
            }
        });

        await using (var host = new LiveBoardHost(settings: new()
        {
            ["LiveBoard:Backup:IntervalMinutes"] = "0",
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = $"http://127.0.0.1:{port}",
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            // The batch goes out after 200 ms instead of the default 5 s: the wait below ends sooner, the check is the same.
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        }))
        {
            using var http = new HttpClient { BaseAddress = host.Start() };
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("api/v1/rankings")).StatusCode);
            await Eventually.Until(() => received.Any(r => r.Path == "/v1/traces" && r.Body.Contains("/api/v1/rankings", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(30), "the request's span at the collector");
        }
        collector.Stop();
        await receiving;
    }
}
