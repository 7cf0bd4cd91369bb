using System.Net;
using System.Net.Sockets;

namespace LiveBoard.Testing;

/// <summary>
/// Connections that leave from a chosen loopback address (any 127.x address is this machine's loopback): a second or
/// third client address for the per-address rules, without leaving the machine. Shared by the tests and the bench.
/// </summary>
public static class ClientAddresses
{
    public static SocketsHttpHandler Handler(string local, SocketsHttpHandler? handler = null)
    {
        handler ??= new SocketsHttpHandler();
        handler.ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Parse(local), 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        return handler;
    }
}
