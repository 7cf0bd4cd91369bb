using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LiveBoard.Web.Diagnostics;

/// <summary>
/// Circuits the server still holds (connected or kept for reconnection). A file of its own because the bench's bare
/// Blazor server (the per-circuit baseline) counts its circuits with this same class.
/// </summary>
public sealed class OpenCircuits
{
    private int _count;
    public int Count => Volatile.Read(ref _count);

    /// <summary>Counts every circuit of this server from now on; <see cref="Count"/> is then read from the container.</summary>
    public static void AddTo(IServiceCollection services)
    {
        services.AddSingleton<OpenCircuits>();
        services.AddScoped<CircuitHandler, Handler>();
    }

    public sealed class Handler(OpenCircuits open) : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref open._count);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken cancellationToken)
        {
            Interlocked.Decrement(ref open._count);
            return Task.CompletedTask;
        }
    }
}
