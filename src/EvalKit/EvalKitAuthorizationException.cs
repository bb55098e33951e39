using EvalKit.Security;

namespace EvalKit;

/// <summary>
/// Raised when the <see cref="IEvalKitAuthorizationPolicy"/> denies an operation. Nothing was written; the denial is in the
/// audit log.
/// </summary>
public sealed class EvalKitAuthorizationException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="EvalKitAuthorizationException"/> class.</summary>
    /// <param name="operation">The denied operation.</param>
    /// <param name="reason">Why it is denied, for the message; keep secrets and content out of it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="operation"/> is <see langword="null"/>.</exception>
    public EvalKitAuthorizationException(EvalKitOperation operation, string? reason = null)
        : base(Describe(operation, reason))
    {
        Operation = operation;
        Reason = reason;
    }

    /// <summary>Gets the denied operation.</summary>
    public EvalKitOperation Operation { get; }

    /// <summary>Gets why the operation was denied, if the policy said.</summary>
    public string? Reason { get; }

    private static string Describe(EvalKitOperation operation, string? reason)
    {
        ArgumentNullException.ThrowIfNull(operation);
        var record = operation.RecordId is null ? operation.RecordType : $"{operation.RecordType} '{operation.RecordId}'";
        return $"Actor '{operation.Actor}' may not perform {operation.Kind} on {record} in tenant '{operation.TenantId}'" +
            (string.IsNullOrWhiteSpace(reason) ? "." : $": {reason}");
    }
}
