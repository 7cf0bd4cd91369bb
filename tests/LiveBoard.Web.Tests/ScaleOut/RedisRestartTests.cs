using System.Diagnostics;
using System.Net;
using System.Runtime.CompilerServices;
using LiveBoard.Testing;
using LiveBoard.Web.Features.Display;
using LiveBoard.Web.Features.Hub;
using Microsoft.AspNetCore.SignalR.Client;
using LiveBoard.Web.Tests.Reporting;
using Xunit.Abstractions;

namespace LiveBoard.Web.Tests.ScaleOut;

/// <summary>Redis goes away under two running instances and comes back: nothing that follows the feed stays behind.</summary>
public sealed class RedisRestartTests(ITestOutputHelper output)
{
    /// <summary>The bound: no follower stale for longer than this after Redis is back.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [ScaleOutFact]
    public async Task After_a_Redis_restart_a_follower_on_A_shows_and_a_ticker_client_on_A_gets_once_in_order_what_B_wrote_while_Redis_was_down()
    {
        var port = LiveBoardHost.FreePort();
        // The instances stop before Redis does (the reverse of their start): stopped after it, A's SignalR backplane may
        // still be unsubscribing from the Redis that is going away, and its Dispose throws.
        var redis = PrivateRedis.Start(port);
        try
        {
            await using var pair = await TwoInstances.StartAsync($"127.0.0.1:{port},connectTimeout=2000,syncTimeout=2000,asyncTimeout=2000");
            var led = await pair.A.Service<DisplayService>().CreateAsync(new NewScreen("LED 屏", "led"));
            await using var ticker = new HubConnectionBuilder()
                .WithUrl(new Uri(pair.RootA, LiveHub.Path.TrimStart('/') + "?topics=figures&key=" + Uri.EscapeDataString(led.Key))).Build();
            var ticks = new List<(string Indicator, decimal Value)>();
            ticker.On<LiveFigureReported>("FigureReported", f => { lock (ticks) if (f.DistrictCode == "hure") ticks.Add((f.IndicatorCode, f.NewValue)); });
            await ticker.StartCurrentAsync(TimeSpan.FromSeconds(10));
            var hure = new TaskCompletionSource<decimal>(TaskCreationOptions.RunContinuationsAsynchronously);
            var latest = new StrongBox<decimal>(0m);
            using var follower = pair.A.Service<LiveStandings>().Follow(s =>
            {
                var value = s.City.Figures.Get("hure", "signed-projects") ?? 0;
                lock (latest) latest.Value = value;
                if (value == 77m) hure.TrySetResult(value);
                return Task.CompletedTask;
            });
            using var onB = await SignedInClients.ApiAsync(pair.B, pair.RootB, "reporter-hure");
            // The feed works before the outage.
            Assert.Equal(HttpStatusCode.Created, (await onB.SendAsync(RunningApp.Report("before", "hure", "signed-projects", 60m, "核实补报"))).StatusCode);
            await WaitUntil(() => { lock (latest) return latest.Value == 60m; }, TimeSpan.FromSeconds(10));

            redis.Stop();
            Assert.Equal(HttpStatusCode.Created, (await onB.SendAsync(RunningApp.Report("during-1", "hure", "signed-projects", 76m, "核实补报"))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await onB.SendAsync(RunningApp.Report("during-2", "hure", "funds-in-place", 50m, "核实补报"))).StatusCode);
            Assert.Equal(HttpStatusCode.Created, (await onB.SendAsync(RunningApp.Report("during-3", "hure", "signed-projects", 77m, "核实补报"))).StatusCode);
            redis.Dispose();
            redis = PrivateRedis.Start(port);
            var back = Stopwatch.StartNew();

            Assert.Equal(77m, await hure.Task.WaitAsync(Bound));
            Assert.True(back.Elapsed < Bound);
            output.WriteLine($"a follower on A was current {back.Elapsed.TotalSeconds:0.0} s after Redis was back");
            // The ticker missed the three while Redis was down; it gets them from A's resync, once each, in commit order. A
            // fourth write after that arrives after them and alone: had any come twice, it would have come before the fourth.
            await WaitUntil(() => { lock (ticks) return ticks.Count >= 4; }, Bound);
            output.WriteLine($"a ticker client on A had the missed figures {back.Elapsed.TotalSeconds:0.0} s after Redis was back");
            Assert.Equal(HttpStatusCode.Created, (await onB.SendAsync(RunningApp.Report("after", "hure", "funds-in-place", 51m, "核实补报"))).StatusCode);
            await WaitUntil(() => { lock (ticks) return ticks.Any(t => t.Value == 51m); }, TimeSpan.FromSeconds(10));
            lock (ticks)
                Assert.Equal([("signed-projects", 60m), ("signed-projects", 76m), ("funds-in-place", 50m), ("signed-projects", 77m), ("funds-in-place", 51m)], ticks);
        }
        finally
        {
            redis.Dispose();
        }
    }

    // An operator reads on /healthz/ready whether the instances can reach Redis; an outage degrades the instance but
    // keeps it ready (200), since it still serves its own screens and the wall displays reload on that answer.
    [ScaleOutFact]
    public async Task Readiness_reports_Redis_healthy_then_degraded_while_it_is_down_and_healthy_when_it_is_back()
    {
        var port = LiveBoardHost.FreePort();
        var redis = PrivateRedis.Start(port);
        try
        {
            await using var pair = await TwoInstances.StartAsync($"127.0.0.1:{port},connectTimeout=1000,syncTimeout=1000,asyncTimeout=1000");
            using var http = new HttpClient { BaseAddress = pair.RootA };
            Assert.Equal(("Healthy", HttpStatusCode.OK), await RedisCheck(http));

            redis.Stop();
            await WaitUntilAsync(async () => (await RedisCheck(http)).Status == "Degraded", TimeSpan.FromSeconds(20));
            var (_, code) = await RedisCheck(http);
            Assert.Equal(HttpStatusCode.OK, code);

            redis.Dispose();
            redis = PrivateRedis.Start(port);
            await WaitUntilAsync(async () => (await RedisCheck(http)).Status == "Healthy", Bound);
        }
        finally
        {
            redis.Dispose();
        }
    }

    private static async Task<(string Status, HttpStatusCode Code)> RedisCheck(HttpClient http)
    {
        using var response = await http.GetAsync("healthz/ready");
        using var body = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (body.RootElement.GetProperty("checks").GetProperty("redis").GetProperty("status").GetString()!, response.StatusCode);
    }

    private static Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan limit) => Eventually.Until(condition, limit);

    private static Task WaitUntil(Func<bool> condition, TimeSpan limit) => Eventually.Until(condition, limit);
}

/// <summary>A redis-server of the test's own on 127.0.0.1, keeping nothing on disk, stopped with the test.</summary>
public sealed class PrivateRedis : IDisposable
{
    private readonly Process _process;

    private PrivateRedis(Process process) => _process = process;

    public static PrivateRedis Start(int port)
    {
        var server = Environment.GetEnvironmentVariable("LIVEBOARD_TEST_REDIS_SERVER") is { Length: > 0 } path ? path : "redis-server";
        var process = Process.Start(new ProcessStartInfo(server, $"--bind 127.0.0.1 --port {port} --save \"\" --appendonly no")
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        })!;
        // Ready when it says so; its log goes to standard output.
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Ready to accept connections", StringComparison.Ordinal) == true) ready.TrySetResult(); };
        process.BeginOutputReadLine();
        ready.Task.Wait(TimeSpan.FromSeconds(10));
        return new PrivateRedis(process);
    }

    public void Stop()
    {
        if (_process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    public void Dispose()
    {
        Stop();
        _process.Dispose();
    }
}
