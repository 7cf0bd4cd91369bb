using LiveBoard.Web.Diagnostics;
using LiveBoard.Web.Security;

namespace LiveBoard.Bench.BareCircuit;

/// <summary>
/// The floor for a display circuit, served by the baseline process beside its bare hub: a Blazor Server page with one
/// value and nothing else. Its circuits are opened, played and measured as LiveBoard's ticker walls are, in the same
/// run, so a display circuit's memory and latency split into what Blazor costs and what LiveBoard adds.
/// </summary>
public static class BareCircuitServer
{
    public const string PagePath = "circuit";
    public const string TickPath = "tick";
    public const string CircuitsPath = "circuits";

    /// <summary>Raised by a POST to <see cref="TickPath"/>; every open page shows the value.</summary>
    public static event Action<long>? Ticked;

    public static void AddBareCircuit(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        // LiveBoard's own retention of a dropped page's circuit, so both keep a closed tab's circuit alike.
        services.Configure<Microsoft.AspNetCore.Components.Server.CircuitOptions>(CircuitRetention.Apply);
        OpenCircuits.AddTo(services);
    }

    public static void MapBareCircuit(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<BareApp>().AddInteractiveServerRenderMode();
        app.MapPost(TickPath, (long value) =>
        {
            Ticked?.Invoke(value);
            return Results.Ok();
        }).DisableAntiforgery();
        app.MapGet(CircuitsPath, (OpenCircuits open) => Results.Ok(new { circuits = open.Count }));
    }
}
