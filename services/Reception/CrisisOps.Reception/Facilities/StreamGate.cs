namespace CrisisOps.Reception.Facilities;

/// <summary>
/// An in-process queue in front of the serialized facility streams. The advisory lock of a serialized stream is
/// taken on a pooled PostgreSQL connection, so a burst of reports for one facility would otherwise hold one
/// connection per waiting caller (and exhaust the server's connections); here they wait in memory, and at most one
/// per stripe reaches the database. The advisory lock still serializes across instances.
/// </summary>
public sealed class StreamGate : IDisposable
{
    private readonly SemaphoreSlim[] _stripes = [.. Enumerable.Range(0, 64).Select(_ => new SemaphoreSlim(1, 1))];

    public async Task<T> RunAsync<T>(string streamId, Func<Task<T>> work, CancellationToken ct)
    {
        var stripe = _stripes[(uint)StringComparer.Ordinal.GetHashCode(streamId) % (uint)_stripes.Length];
        await stripe.WaitAsync(ct);
        try
        {
            return await work();
        }
        finally
        {
            stripe.Release();
        }
    }

    public void Dispose()
    {
        foreach (var s in _stripes) s.Dispose();
    }
}
