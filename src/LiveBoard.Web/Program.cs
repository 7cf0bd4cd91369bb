using LiveBoard.Web;
using LiveBoard.Web.Components;

var builder = WebApplication.CreateBuilder(args);
// Serve wwwroot-assets from the build output too when not in Development (tests, benchmarks).
builder.WebHost.UseStaticWebAssets();
builder.AddLiveBoard();

var app = builder.Build();
await app.PrepareDatabaseAsync();

if (!app.Environment.IsDevelopment())
    app.UseExceptionHandler("/Error", createScopeForErrors: true);
app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
app.UseLiveBoardLocalization();
app.UseAuthentication();
app.UseAuthorization();
app.UseAntiforgery();

app.MapStaticAssets();
app.MapLiveBoardEndpoints();
app.MapRazorComponents<App>().AddInteractiveServerRenderMode();

app.Run();

/// <summary>Entry point; public so tests can host the real app.</summary>
public partial class Program;
