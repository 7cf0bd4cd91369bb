using LiveBoard.Web;
using LiveBoard.Web.Components;
using LiveBoard.Web.Hosting;
using LiveBoard.Web.Security;
using LiveBoard.Web.Operations;

// First thing: from here on the C heap's large blocks go back to the OS when freed (NativeHeap).
NativeHeap.KeepLargeBlocksApart();

// `backup <file>` and `restore <file>` run against the configured database and exit without serving.
if (OperationsCommands.IsCommand(args)) return await OperationsCommands.RunAsync(args, Console.Out, Console.Error);

var builder = WebApplication.CreateBuilder(args);
// Serve wwwroot-assets from the build output too when not in Development (tests, benchmarks).
builder.WebHost.UseStaticWebAssets();
builder.AddLiveBoard();

var app = builder.Build();
StartupLog.Runtime(app);
app.CheckSqlite();
await app.PrepareDatabaseAsync();
await app.CheckNoDemoLeftoversAsync();

app.UseShutdownGate();
if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseOpenNetworkSecurity();
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseResponseCompression();
app.UseLiveBoardLocalization();
app.UseLiveBoardSecurity();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapLiveBoardEndpoints();
// Circuits keep Blazor's WebSocket compression, but without the server's compression context between messages: that
// context would hold ~256 KB of native zlib state per circuit, most of what a wall display costs beside its managed
// heap (bench/notes/2026-11-29-display-circuits.md). Each render batch is still compressed on its own.
// The frame-ancestors 'self' policy that comes with compression stays (ContentSecurityFrameAncestorsPolicy default).
app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ConfigureWebSocketAcceptContext = (_, accept) =>
{
    accept.DangerousEnableCompression = true;
    accept.DisableServerContextTakeover = true;
    return Task.CompletedTask;
});

app.Run();
return 0;

/// <summary>Entry point; public so tests can host the real app.</summary>
public partial class Program;
