using System.Security.Cryptography;

namespace LiveBoard.Web.Operations;

/// <summary>
/// Which run of the server this is: a random id drawn at start, named by the health endpoints and carried by every wall
/// page. A wall whose connection dropped asks the health endpoint: the same id means the same process is still there
/// (a network blip: Blazor's reconnect brings the circuit back), another id means the server was restarted or another
/// instance answers (circuits live in one process's memory, so the page's is gone) and the wall reloads at once
/// instead of waiting for Blazor's next reconnect attempt to be refused.
/// </summary>
public sealed class ServerInstance
{
    public string Id { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant();
}
