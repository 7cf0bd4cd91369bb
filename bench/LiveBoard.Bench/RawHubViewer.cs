using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace LiveBoard.Bench;

/// <summary>
/// A hub viewer that speaks SignalR's JSON protocol over a bare WebSocket: handshake, invocation records separated by
/// 0x1E, pings both ways. Why not HubConnection: with 10,000 of them in one process the load generator parsed every
/// message in full (a 2.5 KB RankingChanged included) and dispatched it through the client's invocation machinery, on
/// the same two cores as the server it was measuring. This viewer reads a record only as far as its target and parses
/// just the events it measures, so the servers, not the generator, set the numbers. It is used for both hubs alike.
/// </summary>
public sealed class RawHubViewer : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _target;
    private readonly Action<JsonElement> _onEvent;
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;

    private RawHubViewer(string eventName, Action<JsonElement> onEvent)
    {
        _target = Encoding.UTF8.GetBytes(eventName);
        _onEvent = onEvent;
        // The hub's own pings keep the connection alive; a second, WebSocket-level keep-alive would only add frames.
        _socket.Options.KeepAliveInterval = TimeSpan.Zero;
    }

    /// <summary>Connects to a hub URL (http/https is turned into ws/wss) and completes the SignalR handshake.</summary>
    public static async Task<RawHubViewer> ConnectAsync(Uri hub, string? accessToken, string eventName, Action<JsonElement> onEvent)
    {
        var viewer = new RawHubViewer(eventName, onEvent);
        var url = new UriBuilder(hub) { Scheme = hub.Scheme == "https" ? "wss" : "ws" };
        if (accessToken is not null)
            url.Query = (url.Query.Length > 1 ? url.Query[1..] + "&" : "") + "access_token=" + Uri.EscapeDataString(accessToken);
        await viewer._socket.ConnectAsync(url.Uri, CancellationToken.None);
        await viewer._socket.SendAsync(Handshake, WebSocketMessageType.Text, true, CancellationToken.None);
        viewer._receiving = viewer.ReceiveAsync();
        return viewer;
    }

    /// <summary>Sent by the generator every few seconds: the server closes a client it has not heard from in 30 s.</summary>
    public Task PingAsync() => _socket.State == WebSocketState.Open
        ? _socket.SendAsync(Ping, WebSocketMessageType.Text, true, _stop.Token)
        : Task.CompletedTask;

    private async Task ReceiveAsync()
    {
        var buffer = new byte[8192];
        var pending = new ArrayBufferWriter<byte>(8192);
        var handshakeDone = false;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var read = await _socket.ReceiveAsync(buffer.AsMemory(), _stop.Token);
                if (read.MessageType == WebSocketMessageType.Close) return;
                var chunk = buffer.AsSpan(0, read.Count);
                // A record may span reads and a read may hold several records: split on the separator.
                while (chunk.IndexOf(RecordSeparator) is var end and >= 0)
                {
                    ReadOnlySpan<byte> record;
                    if (pending.WrittenCount > 0)
                    {
                        pending.Write(chunk[..end]);
                        record = pending.WrittenSpan;
                    }
                    else record = chunk[..end];
                    if (handshakeDone) OnRecord(record);
                    else handshakeDone = true; // "{}" or an error; a refused handshake closes the socket anyway
                    pending.ResetWrittenCount();
                    chunk = chunk[(end + 1)..];
                }
                if (!chunk.IsEmpty) pending.Write(chunk);
            }
        }
        catch (OperationCanceledException) { }
        catch (WebSocketException) { }
    }

    private void OnRecord(ReadOnlySpan<byte> record)
    {
        // The server writes "type" and "target" before "arguments": stop at the target unless it is the one measured.
        var reader = new Utf8JsonReader(record);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("target"u8))
            {
                reader.Read();
                if (!reader.ValueTextEquals(_target)) return;
                using var doc = JsonDocument.Parse(record.ToArray());
                if (doc.RootElement.TryGetProperty("arguments", out var args) && args.GetArrayLength() > 0) _onEvent(args[0]);
                return;
            }
            reader.Read();
            reader.Skip();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }
        catch (WebSocketException) { }
        _stop.Cancel();
        await _receiving;
        _socket.Dispose();
        _stop.Dispose();
    }
}
