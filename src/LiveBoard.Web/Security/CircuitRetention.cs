using Microsoft.AspNetCore.Components.Server;

namespace LiveBoard.Web.Security;

/// <summary>
/// How long the server keeps the circuit of a page whose connection dropped. A file of its own because the bench's bare
/// Blazor server (the per-circuit baseline) keeps closed tabs' circuits with these same settings.
/// </summary>
public static class CircuitRetention
{
    /// <summary>
    /// A minute (a phone switching networks, a wall display reconnecting) and at most 100 such circuits: an abandoned tab's
    /// memory returns within a minute, not three (the framework's default), and a flood of dropped connections cannot pile
    /// up circuits.
    /// </summary>
    public static void Apply(CircuitOptions options)
    {
        options.DisconnectedCircuitRetentionPeriod = TimeSpan.FromMinutes(1);
        options.DisconnectedCircuitMaxRetained = 100;
    }
}
