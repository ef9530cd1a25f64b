namespace CrisisOps.Legal;

/// <summary>A command the domain refuses. The edge maps each kind to one gRPC status; nothing is recorded.</summary>
public abstract class DomainException(string message) : Exception(message);

/// <summary>A field is missing or malformed (gRPC <c>InvalidArgument</c>).</summary>
public sealed class InvalidFieldException(string field, string reason)
    : DomainException($"{field}: {reason}")
{
    /// <summary>The request field at fault, in the contract's snake_case.</summary>
    public string Field { get; } = field;
}

/// <summary>The command is well formed but breaks a legal rule or lifecycle (gRPC <c>FailedPrecondition</c>).</summary>
public sealed class RuleViolationException(string rule, string reason)
    : DomainException($"{rule}: {reason}")
{
    /// <summary>A stable identifier of the rule, e.g. <c>emergency.extension.count</c>.</summary>
    public string Rule { get; } = rule;
}

/// <summary>The thing named does not exist (gRPC <c>NotFound</c>).</summary>
public sealed class NotFoundException(string what, string id) : DomainException($"{what} '{id}' does not exist");

/// <summary>The stream moved since the client read it (gRPC <c>Aborted</c>).</summary>
public sealed class VersionConflictException(string streamId, long expected, long actual)
    : DomainException($"expected_version: {streamId} is at version {actual}, not {expected}; read it again and retry");

/// <summary>The actor may not do this (gRPC <c>PermissionDenied</c>).</summary>
public sealed class NotPermittedException(string reason) : DomainException(reason);

/// <summary>
/// The decision depends on a fact another service decided that has not reached this one yet (gRPC <c>Unavailable</c>):
/// nothing is recorded, the caller retries.
/// </summary>
public sealed class FactsNotYetKnownException(string reason) : DomainException(reason);
