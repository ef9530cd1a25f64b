using CrisisOps.ServiceDefaults.EventStore;
using CrisisOps.Transparency.Grpc.V1;
using Google.Protobuf;
using Grpc.Core;
using Marten;
using Microsoft.AspNetCore.Authorization;

namespace CrisisOps.ServiceDefaults.Transparency;

/// <summary>
/// The read-only transparency endpoint of every service: checkpoints and proofs. Anonymous, because it serves hashes
/// and signatures only, and an auditor or a witness must be able to ask without being given access by the operator.
/// </summary>
[AllowAnonymous]
public sealed class TransparencyGrpcService(CheckpointLog log, IDocumentStore store, DecisionReceipts receipts) : CrisisOps.Transparency.Grpc.V1.Transparency.TransparencyBase
{
    public override async Task<GetCheckpointResponse> GetCheckpoint(GetCheckpointRequest request, ServerCallContext context)
    {
        var verifier = log.Verifier ?? throw new RpcException(new Status(StatusCode.FailedPrecondition,
            "this service has no log key (Transparency:KeyFile): it signs no checkpoint"));
        var signed = await log.LatestAsync(request.Refresh, context.CancellationToken);
        return new GetCheckpointResponse { Note = signed.ToString(), LogKey = verifier.ToString() };
    }

    public override async Task<GetInclusionProofResponse> GetInclusionProof(GetInclusionProofRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        await using var session = store.QuerySession();
        var logSize = await MerkleLogReader.SizeAsync(session, ct);
        var leaf = request.LeafCase switch
        {
            GetInclusionProofRequest.LeafOneofCase.LeafIndex when request.LeafIndex >= 0 =>
                await session.LoadAsync<MerkleLeaf>(MerkleLeaf.IdOf(request.LeafIndex), ct)
                ?? throw Invalid("leaf_index", $"the log has {logSize} leaves; there is no leaf {request.LeafIndex}"),
            GetInclusionProofRequest.LeafOneofCase.LeafIndex => throw Invalid("leaf_index", "must not be negative"),
            GetInclusionProofRequest.LeafOneofCase.Sequence =>
                await session.Query<MerkleLeaf>().FirstOrDefaultAsync(l => l.Sequence == request.Sequence, ct)
                ?? throw new RpcException(new Status(StatusCode.NotFound,
                    $"sequence: no event at sequence {request.Sequence} is in the log (not committed, a tombstone, or not yet logged)")),
            _ => throw Invalid("leaf", "name leaf_index or sequence"),
        };
        if (request.TreeSize <= leaf.Index || request.TreeSize > logSize)
            throw Invalid("tree_size", $"must be above the leaf index {leaf.Index} and at most the log's size {logSize}");
        var proof = await MerkleLogReader.InclusionAsync(session, leaf.Index, request.TreeSize, ct);
        var response = new GetInclusionProofResponse
        {
            LeafIndex = leaf.Index,
            TreeSize = request.TreeSize,
            Sequence = leaf.Sequence,
            LeafHash = ByteString.CopyFrom(Convert.FromHexString(leaf.Hash)),
        };
        response.Hashes.AddRange(proof.Select(ByteString.CopyFrom));
        return response;
    }

    public override async Task<GetConsistencyProofResponse> GetConsistencyProof(GetConsistencyProofRequest request, ServerCallContext context)
    {
        var ct = context.CancellationToken;
        await using var session = store.QuerySession();
        var logSize = await MerkleLogReader.SizeAsync(session, ct);
        if (request.SecondSize > logSize || request.SecondSize < 1)
            throw Invalid("second_size", $"must be between 1 and the log's size {logSize}");
        if (request.FirstSize < 1 || request.FirstSize > request.SecondSize)
            throw Invalid("first_size", $"must be between 1 and second_size {request.SecondSize}");
        var response = new GetConsistencyProofResponse();
        response.Hashes.AddRange((await MerkleLogReader.ConsistencyAsync(session, request.FirstSize, request.SecondSize, ct)).Select(ByteString.CopyFrom));
        return response;
    }

    public override async Task<GetDecisionReceiptResponse> GetDecisionReceipt(GetDecisionReceiptRequest request, ServerCallContext context)
    {
        if (log.Verifier is null)
            throw new RpcException(new Status(StatusCode.FailedPrecondition, "this service has no log key (Transparency:KeyFile): it signs no checkpoint"));
        var (sequence, stream, version) = request.EventCase switch
        {
            GetDecisionReceiptRequest.EventOneofCase.Sequence when request.Sequence > 0 => ((long?)request.Sequence, (string?)null, 0L),
            GetDecisionReceiptRequest.EventOneofCase.Sequence => throw Invalid("sequence", "must be greater than 0"),
            GetDecisionReceiptRequest.EventOneofCase.StreamVersion when request.StreamVersion.Stream.Length == 0 => throw Invalid("stream_version.stream", "must name a stream"),
            GetDecisionReceiptRequest.EventOneofCase.StreamVersion when request.StreamVersion.Version < 1 => throw Invalid("stream_version.version", "must be 1 or more"),
            GetDecisionReceiptRequest.EventOneofCase.StreamVersion => (null, request.StreamVersion.Stream, request.StreamVersion.Version),
            _ => throw Invalid("event", "name sequence or stream_version"),
        };
        try
        {
            var (receipt, cosigned) = await receipts.ForAsync(sequence, stream, version, context.CancellationToken);
            var response = new GetDecisionReceiptResponse
            {
                Leaf = ByteString.CopyFrom(receipt.Leaf),
                Stream = receipt.Stream,
                Version = receipt.Version,
                Sequence = receipt.Sequence,
                LeafIndex = receipt.LeafIndex,
                DecisionSignature = receipt.DecisionSignature,
                DecisionKey = receipt.DecisionKey,
                DecisionKeyId = receipt.DecisionKeyId,
                Checkpoint = receipt.Checkpoint,
                Cosigned = cosigned,
                ReceiptJson = receipt.ToJson(),
            };
            response.InclusionProof.AddRange(receipt.InclusionProof.Select(ByteString.CopyFrom));
            return response;
        }
        catch (ReceiptRefusedException refused)
        {
            throw new RpcException(new Status(refused.NotFound ? StatusCode.NotFound : StatusCode.InvalidArgument, refused.Message));
        }
    }

    private static RpcException Invalid(string field, string reason) => new(new Status(StatusCode.InvalidArgument, $"{field}: {reason}"));
}
