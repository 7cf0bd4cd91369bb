using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LiveBoard.Web.Features.Display;

/// <summary>
/// Whether this circuit's browser is still connected. A closed or unplugged wall PC leaves its circuit on the server for
/// minutes (in case it comes back), and the page's heartbeat timer runs on the server: without this the fleet page would
/// show the screen online until the circuit is finally let go.
/// </summary>
public sealed class DisplayCircuit : CircuitHandler
{
    public bool Connected { get; private set; } = true;

    /// <summary>Raised with the new state when the browser's connection drops or comes back.</summary>
    public event Action<bool>? ConnectionChanged;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken) => Set(false);

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken) => Set(true);

    private Task Set(bool connected)
    {
        Connected = connected;
        ConnectionChanged?.Invoke(connected);
        return Task.CompletedTask;
    }
}

public static class DisplayCircuitRegistration
{
    /// <summary>One <see cref="DisplayCircuit"/> per circuit, known to Blazor as a circuit handler and to pages by its type.</summary>
    public static IServiceCollection AddDisplayCircuits(this IServiceCollection services) => services
        .AddScoped<DisplayCircuit>()
        .AddScoped<CircuitHandler>(sp => sp.GetRequiredService<DisplayCircuit>());
}
