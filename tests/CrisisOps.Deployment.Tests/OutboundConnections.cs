using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Net;

namespace CrisisOps.Deployment.Tests;

/// <summary>
/// Every name this process resolves and every TCP connection it starts, as .NET's own networking reports them
/// (the <c>System.Net.NameResolution</c> and <c>System.Net.Sockets</c> event sources): attempts that fail are
/// recorded too, so a call home is caught even on a machine where it cannot get out.
/// </summary>
public sealed class OutboundConnections : EventListener
{
    private readonly ConcurrentQueue<string> _names = new();
    private readonly ConcurrentQueue<IPEndPoint> _connections = new();

    public IReadOnlyCollection<string> NamesResolved => _names;

    public IReadOnlyCollection<IPEndPoint> ConnectionsStarted => _connections;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name is "System.Net.NameResolution" or "System.Net.Sockets")
            EnableEvents(eventSource, EventLevel.Informational, (EventKeywords)(-1));
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.Payload is not { Count: > 0 } payload || payload[0] is not string value) return;
        switch (eventData.EventSource.Name, eventData.EventName)
        {
            case ("System.Net.NameResolution", "ResolutionStart"):
                _names.Enqueue(value);
                break;
            case ("System.Net.Sockets", "ConnectStart"):
                if (Parse(value) is { } endpoint) _connections.Enqueue(endpoint);
                break;
        }
    }

    /// <summary>
    /// A socket address as the event carries it (<c>SocketAddress.ToString()</c>: "InterNetwork:16:{p,p,a,a,a,a,...}",
    /// the bytes after the family: port big-endian, then the address).
    /// </summary>
    private static IPEndPoint? Parse(string address)
    {
        var parts = address.Split(':', 3);
        if (parts.Length != 3) return null;
        var bytes = parts[2].Trim('{', '}').Split(',').Select(b => byte.Parse(b, CultureInfo.InvariantCulture)).ToArray();
        var port = (bytes[0] << 8) | bytes[1];
        return parts[0] switch
        {
            "InterNetwork" => new IPEndPoint(new IPAddress(bytes[2..6]), port),
            "InterNetworkV6" => new IPEndPoint(new IPAddress(bytes[6..22]), port),
            _ => null,
        };
    }
}
