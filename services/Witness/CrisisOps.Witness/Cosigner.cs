using System.Diagnostics.Metrics;
using CrisisOps.Transparency;

namespace CrisisOps.Witness;

/// <summary>What the witness wrote for a verdict: the file kept, and its cosignature when it cosigned.</summary>
/// <param name="File">The cosigned checkpoint or the refusal evidence, or null when nothing new was written.</param>
/// <param name="Cosignature">The witness's cosignature on the offered checkpoint, or null when it refused.</param>
public sealed record Recorded(string? File, NoteSignature? Cosignature);

/// <summary>
/// The one writer of a witness's state, shared by the poll (the witness fetches) and <c>add-checkpoint</c> (the log
/// pushes): reading the last cosigned checkpoint, deciding and keeping happen one at a time, in this process (a
/// semaphore) and across processes on the same state directory (an exclusive lock file), as C2SP tlog-witness demands:
/// two interleaved writers could roll the witness back (cosign N+K, then N).
/// </summary>
/// <remarks>The key stays its owner's to dispose.</remarks>
public sealed class Cosigner(NoteKey witness, WitnessState state, TimeProvider clock) : IDisposable
{
    /// <summary>The meter of the witness: <c>crisisops.witness.cosigned</c>, <c>.refused</c>, <c>.unreachable</c>, by origin.</summary>
    public const string MeterName = "CrisisOps.Witness";

    internal static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Cosigned = Meter.CreateCounter<long>("crisisops.witness.cosigned", description: "checkpoints cosigned");
    private static readonly Counter<long> Refused = Meter.CreateCounter<long>("crisisops.witness.refused", description: "checkpoints refused: split view, rollback, rewrite, bad signature");

    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>The witness's verifier key.</summary>
    public NoteVerifierKey Verifier => witness.Verifier;

    /// <summary>The state written.</summary>
    public WitnessState State => state;

    /// <summary>Runs <paramref name="work"/> as the only writer of the state.</summary>
    public async Task<T> OneAtATimeAsync<T>(Func<Task<T>> work, CancellationToken ct)
    {
        await _one.WaitAsync(ct);
        try
        {
            using var held = await HoldLockFileAsync(ct);
            return await work();
        }
        finally
        {
            _one.Release();
        }
    }

    /// <summary>
    /// Acts on a verdict: cosigns and keeps a checkpoint it may cosign, keeps the evidence of a refusal. An unchanged tree
    /// is cosigned again (the log may have signed it anew) but not kept: the state already holds that size.
    /// </summary>
    public Recorded Record(WitnessVerdict verdict, SignedCheckpoint? cosigned, IReadOnlyList<byte[]>? proof, SignedCheckpoint offered)
    {
        var origin = new KeyValuePair<string, object?>("origin", offered.Checkpoint.Origin);
        switch (verdict)
        {
            case WitnessVerdict.Cosign:
                var signature = Cosignature.Sign(offered, witness, clock.GetUtcNow());
                Cosigned.Add(1, origin);
                return new Recorded(state.KeepCosigned(WithOnly(offered, signature)), signature);
            case WitnessVerdict.Unchanged:
                return new Recorded(null, Cosignature.Sign(offered, witness, clock.GetUtcNow()));
            case WitnessVerdict.Refuse r:
                Refused.Add(1, origin, new KeyValuePair<string, object?>("kind", WitnessState.Kebab(r.Kind)));
                return new Recorded(state.KeepRefusal(r, cosigned, proof, clock.GetUtcNow()), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "a verdict the witness does not know");
        }
    }

    /// <summary>
    /// The checkpoint with this witness's cosignature as its only line in this witness's name: a line in its name that
    /// came with the note (pushed by anyone) would otherwise stand in for the real one (<see cref="SignedNote.With"/>
    /// keeps the first line per key) and poison the state.
    /// </summary>
    private SignedCheckpoint WithOnly(SignedCheckpoint offered, NoteSignature signature) =>
        offered with { Note = new SignedNote(offered.Note.Text, [.. offered.Note.Signatures.Where(s => s.Name != witness.Name), signature]) };

    private async Task<FileStream> HoldLockFileAsync(CancellationToken ct)
    {
        Directory.CreateDirectory(state.Directory);
        var path = Path.Combine(state.Directory, WitnessState.LockFile);
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive advisory lock (flock) on Linux: another witness process on this state waits.
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (File.Exists(path))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), ct);
            }
        }
    }

    public void Dispose()
    {
        _one.Dispose();
    }
}
