using Microsoft.AspNetCore.Components.Server.Circuits;

namespace LiveBoard.Web.Data;

/// <summary>
/// Where the person behind this scope is: the request's client address, or for an open page (a circuit) the address of
/// its connection, kept on every figure revision and account change it makes. Behind a proxy this is what the
/// forwarded-headers set-up made of the request (docs/deploy.md), as everywhere else.
/// </summary>
public sealed class ClientAddress
{
    /// <summary>The page connection's address; null until the circuit is connected (and outside a circuit).</summary>
    public string? Value { get; set; }

    public static string? Of(HttpContext? http) => http?.Connection.RemoteIpAddress?.ToString();
}

/// <summary>
/// Takes the page's address from its connection whenever the circuit connects or reconnects (a phone moving from Wi-Fi to
/// mobile data changes it). Inside these handlers the accessor holds the /_blazor connection's own request.
/// </summary>
public sealed class ClientAddressCircuitHandler(ClientAddress address, IHttpContextAccessor http) : CircuitHandler
{
    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        if (ClientAddress.Of(http.HttpContext) is { } value) address.Value = value;
        return Task.CompletedTask;
    }
}
