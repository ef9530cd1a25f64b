using System.Net;
using System.Net.Sockets;

namespace CrisisOps.Testing;

/// <summary>
/// A loopback TCP relay in front of a real server (PostgreSQL, RabbitMQ) that a test can cut and restore: cut, every
/// open connection is reset and new ones are refused, as when the server goes down; restored, it relays again. It
/// lets a test take "the database" away from one service without stopping the server every other test uses.
/// Written by hand: no relay library is served here, and the job is a listener and two copy loops.
/// </summary>
public sealed class TcpFaultProxy : IAsyncDisposable
{
    private readonly string _targetHost;
    private readonly int _targetPort;
    private readonly Lock _gate = new();
    private readonly List<TcpClient> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource _cut = new();

    private TcpFaultProxy(string targetHost, int targetPort)
    {
        _targetHost = targetHost;
        _targetPort = targetPort;
    }

    /// <summary>The loopback port to connect to instead of the server's.</summary>
    public int Port { get; private set; }

    /// <summary>Starts relaying to <paramref name="host"/>:<paramref name="port"/> on a free loopback port.</summary>
    public static TcpFaultProxy Start(string host, int port)
    {
        var proxy = new TcpFaultProxy(host, port);
        proxy.Listen(0);
        return proxy;
    }

    /// <summary>Resets every relayed connection and refuses new ones.</summary>
    public void Cut()
    {
        lock (_gate)
        {
            _listener?.Stop();
            _listener = null;
            _cut.Cancel();
            foreach (var client in _open) Reset(client);

            _open.Clear();
        }
    }

    /// <summary>Accepts and relays again, on the same port.</summary>
    public void Restore()
    {
        lock (_gate)
        {
            if (_listener is not null) return;
            _cut = new CancellationTokenSource();
            Listen(Port);
        }
    }

    /// <summary>Closes with a reset (RST), as a server that went away does, rather than an orderly end.</summary>
    private static void Reset(TcpClient client)
    {
        try
        {
            if (client.Connected) client.Client.LingerState = new LingerOption(true, 0);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already closed by its peer.
        }

        client.Dispose();
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _listener = listener;
        _ = AcceptAsync(listener, _cut.Token);
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken cut)
    {
        while (!cut.IsCancellationRequested)
        {
            TcpClient inbound;
            try
            {
                inbound = await listener.AcceptTcpClientAsync(cut);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = RelayAsync(inbound, cut);
        }
    }

    private async Task RelayAsync(TcpClient inbound, CancellationToken cut)
    {
        var outbound = new TcpClient();
        lock (_gate)
        {
            _open.Add(inbound);
            _open.Add(outbound);
        }

        try
        {
            await outbound.ConnectAsync(_targetHost, _targetPort, cut);
            await using var a = inbound.GetStream();
            await using var b = outbound.GetStream();
            await Task.WhenAny(a.CopyToAsync(b, cut), b.CopyToAsync(a, cut));
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // The connection ends as the server's would: the peer sees a reset or an end of stream.
        }
        finally
        {
            lock (_gate)
            {
                _open.Remove(inbound);
                _open.Remove(outbound);
            }

            inbound.Dispose();
            outbound.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        Cut();
        _cut.Dispose();
        return ValueTask.CompletedTask;
    }
}
