namespace CrisisOps.Benchmarks.Harness;

/// <summary>
/// Real time moved by an offset that the suite sets: it runs at the real rate, so a lag measured on it is a real lag,
/// while the suite chooses when a legal end (midnight in Warsaw) comes. Handed to a service through its
/// <see cref="TimeProvider"/> seam, the one the integration tests use.
/// </summary>
public sealed class ShiftedClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
        set => Interlocked.Exchange(ref _offsetTicks, value.Ticks);
    }

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Moves the clock so that now is <paramref name="at"/>.</summary>
    public void Set(DateTimeOffset at) => Offset = at - System.GetUtcNow();
}
