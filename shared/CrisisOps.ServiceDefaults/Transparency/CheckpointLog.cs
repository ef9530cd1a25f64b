using System.Globalization;
using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Transparency;
using Marten;
using Microsoft.Extensions.Options;

namespace CrisisOps.ServiceDefaults.Transparency;

/// <summary>
/// Signs the store's checkpoints with the service's key and writes each to the checkpoint directory, once: the file is
/// created beside and moved into place without replacing anything, so a checkpoint once published is never changed,
/// and several instances of the service signing the same tree leave one file.
/// </summary>
public sealed class CheckpointLog : IDisposable
{
    private readonly IDocumentStore _store;
    private readonly TimeProvider _clock;
    private readonly NoteKey? _key;
    private readonly string? _directory;
    private readonly SemaphoreSlim _signing = new(1, 1);
    private SignedCheckpoint? _latest;

    public CheckpointLog(IDocumentStore store, IOptions<TransparencyOptions> options, TimeProvider clock)
    {
        _store = store;
        _clock = clock;
        var o = options.Value;
        Origin = $"{o.LogName}/{store.Options.Events.DatabaseSchemaName}";
        var schema = store.Options.Events.DatabaseSchemaName;
        // One directory of keys for every service (deploy/run.sh), each store's key named after its schema.
        var keyFile = o.KeyFile is { Length: > 0 } ? o.KeyFile
            : o.KeyDirectory is { Length: > 0 } ? Path.Combine(o.KeyDirectory, schema + ".key")
            : null;
        if (keyFile is null) return;
        if (o.CheckpointDirectory is not { Length: > 0 })
            throw new InvalidOperationException("Transparency:KeyFile is set but Transparency:CheckpointDirectory is not: signed checkpoints need a place outside the database");
        _key = NoteKey.Load(keyFile);
        if (_key.Name != Origin)
            throw new InvalidOperationException($"the key in {keyFile} is named {_key.Name}, but this log's origin is {Origin}");
        // The same key signs each decision as it is appended (issue 11, DecisionSignatures).
        DecisionSignatures.Use(store, _key);
        _directory = Path.Combine(o.CheckpointDirectory, schema);
        Directory.CreateDirectory(_directory);
    }

    /// <summary>The log's origin, <c>{log name}/{schema}</c>.</summary>
    public string Origin { get; }

    /// <summary>The verifier key of the log, or null when the service has no key.</summary>
    public NoteVerifierKey? Verifier => _key?.Verifier;

    /// <summary>The file a checkpoint of <paramref name="size"/> is published in.</summary>
    public static string FileName(long size) => size.ToString("D20", CultureInfo.InvariantCulture) + ".checkpoint";

    /// <summary>
    /// The latest checkpoint, signed anew first when the log has grown and <paramref name="refresh"/> asks for it (or
    /// none was signed yet). A refresh signs only when the tree grew, so asking often costs one query, never a flood of
    /// checkpoints.
    /// </summary>
    public async Task<SignedCheckpoint> LatestAsync(bool refresh, CancellationToken ct)
    {
        var key = _key ?? throw new InvalidOperationException("this service has no log key (Transparency:KeyFile): it signs no checkpoint");
        if (_latest is not null && !refresh) return _latest;
        await _signing.WaitAsync(ct);
        try
        {
            await using var session = _store.QuerySession();
            var size = await MerkleLogReader.SizeAsync(session, ct);
            if (_latest is not null && _latest.Checkpoint.Size == size) return _latest;
            var root = await MerkleLogReader.RootAsync(session, size, ct);
            var signed = SignedCheckpoint.Sign(Checkpoint.At(Origin, size, root, _clock.GetUtcNow()), key);
            _latest = await PublishAsync(signed, ct);
            return _latest;
        }
        finally
        {
            _signing.Release();
        }
    }

    private async Task<SignedCheckpoint> PublishAsync(SignedCheckpoint signed, CancellationToken ct)
    {
        var path = Path.Combine(_directory!, FileName(signed.Checkpoint.Size));
        var temporary = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        await File.WriteAllTextAsync(temporary, signed.ToString(), ct);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        try
        {
            File.Move(temporary, path, overwrite: false);
            return signed;
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another instance published this size first: its checkpoint stands, and is the one served.
            File.Delete(temporary);
            var existing = SignedCheckpoint.Parse(await File.ReadAllTextAsync(path, ct));
            return existing.Checkpoint.SameTree(signed.Checkpoint)
                ? existing
                : throw new InvalidOperationException($"{path} holds another tree of the same size: the log was rewritten under the service");
        }
    }

    public void Dispose()
    {
        _key?.Dispose();
        _signing.Dispose();
    }
}
