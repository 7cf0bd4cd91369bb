using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LiveBoard.Bench;

/// <summary>
/// A hub viewer that speaks SignalR's JSON protocol over a WebSocket it frames itself on a bare socket: upgrade,
/// handshake, invocation records separated by 0x1E, pings both ways. Why not HubConnection: with 10,000 of them in one
/// process the load generator parsed every message in full and dispatched it through the client's invocation machinery,
/// on the same two cores as the server it was measuring. Why not ClientWebSocket either: it hands over one message per
/// receive, through its own and the HTTP handler's stream layers, and the generator still used 0.8 of a core at 10,000
/// viewers (bench notes, 2026-11-29). Here one socket read takes whatever frames have arrived, and a record is read only
/// as far as its target unless it is the event measured. It is used for both hubs alike.
/// </summary>
public sealed class RawHubViewer : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1E;
    private const byte OpContinuation = 0x0, OpText = 0x1, OpBinary = 0x2, OpClose = 0x8, OpPing = 0x9;
    private static readonly byte[] Handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");
    private static readonly byte[] Ping = Encoding.UTF8.GetBytes("{\"type\":6}\u001e");

    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
    private readonly byte[] _target;
    private readonly Action<JsonElement> _onEvent;
    private readonly SemaphoreSlim _sending = new(1, 1);
    private readonly ArrayBufferWriter<byte> _record = new(1024);
    private byte[] _buffer = new byte[16 * 1024];
    private int _start, _end;
    private bool _handshakeDone;
    private volatile bool _closed;
    private byte[]? _closeReply;
    private Task _receiving = Task.CompletedTask;

    private RawHubViewer(string eventName, Action<JsonElement> onEvent)
    {
        _target = Encoding.UTF8.GetBytes(eventName);
        _onEvent = onEvent;
    }

    /// <summary>Connects to a hub URL on loopback (http is turned into a WebSocket upgrade) and sends the SignalR handshake.</summary>
    public static async Task<RawHubViewer> ConnectAsync(Uri hub, string? accessToken, string eventName, Action<JsonElement> onEvent)
    {
        if (hub.Scheme != "http") throw new ArgumentException($"the bench's raw viewer speaks plain HTTP on loopback, not {hub.Scheme}");
        var viewer = new RawHubViewer(eventName, onEvent);
        var query = hub.Query.Length > 1 ? hub.Query[1..] : "";
        if (accessToken is not null) query = (query.Length > 0 ? query + "&" : "") + "access_token=" + Uri.EscapeDataString(accessToken);
        try
        {
            await viewer._socket.ConnectAsync(new IPEndPoint(IPAddress.Parse(hub.Host), hub.Port));
            var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
            var upgrade = $"GET {hub.AbsolutePath}{(query.Length > 0 ? "?" + query : "")} HTTP/1.1\r\nHost: {hub.Authority}\r\n" +
                          $"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n";
            await viewer._socket.SendAsync(Encoding.ASCII.GetBytes(upgrade));
            await viewer.ReadUpgradeResponseAsync();
        }
        catch
        {
            // A refused attempt (the reconnect storm makes thousands while the server is down) must not hold a socket.
            viewer._socket.Dispose();
            viewer._sending.Dispose();
            throw;
        }
        await viewer.SendFrameAsync(OpText, Handshake);
        viewer._receiving = viewer.ReceiveAsync();
        return viewer;
    }

    /// <summary>Completes when the server has closed the connection (or the socket failed).</summary>
    public Task Closed => _receiving;

    /// <summary>Sent by the generator every few seconds: the server closes a client it has not heard from in 30 s.</summary>
    public Task PingAsync() => _closed ? Task.CompletedTask : SendFrameAsync(OpText, Ping);

    private async Task ReadUpgradeResponseAsync()
    {
        while (true)
        {
            var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end));
            if (read == 0) throw new IOException("the server closed the connection during the WebSocket upgrade");
            _end += read;
            var headerEnd = _buffer.AsSpan(0, _end).IndexOf("\r\n\r\n"u8);
            if (headerEnd < 0)
            {
                if (_end == _buffer.Length) throw new IOException("WebSocket upgrade response too large");
                continue;
            }
            var status = Encoding.ASCII.GetString(_buffer, 0, _buffer.AsSpan(0, _end).IndexOf("\r\n"u8));
            if (!status.StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
                throw new IOException($"WebSocket upgrade refused: {status}");
            // Frames that came in the same read as the response stay in the buffer for the receive loop.
            _start = headerEnd + 4;
            return;
        }
    }

    // Client frames are masked (RFC 6455 5.3); the sends are few (handshake, pings, pongs, close), so they are built here.
    private async Task SendFrameAsync(byte opcode, ReadOnlyMemory<byte> payload)
    {
        var header = payload.Length < 126 ? 6 : 8;
        var frame = new byte[header + payload.Length];
        frame[0] = (byte)(0x80 | opcode);
        if (payload.Length < 126) frame[1] = (byte)(0x80 | payload.Length);
        else
        {
            frame[1] = 0x80 | 126;
            BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)payload.Length);
        }
        var mask = frame.AsSpan(header - 4, 4);
        RandomNumberGenerator.Fill(mask);
        var body = frame.AsSpan(header);
        payload.Span.CopyTo(body);
        for (var i = 0; i < body.Length; i++) body[i] ^= mask[i & 3];
        await _sending.WaitAsync();
        try
        {
            await _socket.SendAsync(frame);
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            _sending.Release();
        }
    }

    private async Task ReceiveAsync()
    {
        try
        {
            while (true)
            {
                if (!ReadFrames())
                {
                    // Answer the server's close as every WebSocket client does: a server that waits for the answer
                    // (graceful shutdown) otherwise holds on until its shutdown timeout.
                    if (_closeReply is { } reply) await SendFrameAsync(OpClose, reply);
                    return;
                }
                if (_start == _end) _start = _end = 0;
                else if (_start > 0)
                {
                    // Keep a partial frame at the front, and make room for a frame larger than the buffer.
                    _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
                    (_end, _start) = (_end - _start, 0);
                }
                if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
                var read = await _socket.ReceiveAsync(_buffer.AsMemory(_end));
                if (read == 0) return;
                _end += read;
            }
        }
        catch (SocketException) { }
        catch (ObjectDisposedException) { }
        finally
        {
            _closed = true;
        }
    }

    /// <summary>Handles every whole frame in the buffer; false once the server closed the WebSocket.</summary>
    private bool ReadFrames()
    {
        while (_end - _start >= 2)
        {
            var data = _buffer.AsSpan(_start, _end - _start);
            var opcode = (byte)(data[0] & 0x0F);
            var masked = (data[1] & 0x80) != 0;
            long length = data[1] & 0x7F;
            var header = 2;
            if (length == 126)
            {
                if (data.Length < 4) return true;
                length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
                header = 4;
            }
            else if (length == 127)
            {
                if (data.Length < 10) return true;
                length = (long)BinaryPrimitives.ReadUInt64BigEndian(data[2..]);
                header = 10;
            }
            if (masked) header += 4; // servers do not mask; read it anyway
            if (data.Length < header + length) return true;
            var payload = data.Slice(header, (int)length);
            if (masked)
            {
                var mask = data.Slice(header - 4, 4);
                for (var i = 0; i < payload.Length; i++) payload[i] ^= mask[i & 3];
            }
            _start += header + (int)length;
            switch (opcode)
            {
                case OpText or OpBinary or OpContinuation:
                    OnData(payload);
                    break;
                case OpClose:
                    _closeReply = payload.ToArray();
                    return false;
                case OpPing:
                    _ = SendFrameAsync(0xA, payload.ToArray());
                    break;
            }
        }
        return true;
    }

    // A record may span frames and a frame may hold several records: split on the separator.
    private void OnData(ReadOnlySpan<byte> chunk)
    {
        while (chunk.IndexOf(RecordSeparator) is var end and >= 0)
        {
            ReadOnlySpan<byte> record;
            if (_record.WrittenCount > 0)
            {
                _record.Write(chunk[..end]);
                record = _record.WrittenSpan;
            }
            else record = chunk[..end];
            if (_handshakeDone) OnRecord(record);
            else _handshakeDone = true; // "{}" or an error; a refused handshake closes the socket anyway
            _record.ResetWrittenCount();
            chunk = chunk[(end + 1)..];
        }
        if (!chunk.IsEmpty) _record.Write(chunk);
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
        if (!_closed)
        {
            var normalClosure = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(normalClosure, 1000);
            await SendFrameAsync(OpClose, normalClosure);
        }
        try { _socket.Shutdown(SocketShutdown.Both); } catch (SocketException) { }
        _socket.Dispose();
        await _receiving;
        _sending.Dispose();
    }
}
