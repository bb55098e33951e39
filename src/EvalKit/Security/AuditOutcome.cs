namespace EvalKit.Security;

/// <summary>How an audited operation ended.</summary>
public enum AuditOutcome
{
    /// <summary>The operation ran to its end.</summary>
    Succeeded,

    /// <summary>The <see cref="IEvalKitAuthorizationPolicy"/> denied it; nothing was written.</summary>
    Denied,

    /// <summary>It failed; <see cref="AuditEntry.ErrorType"/> names the exception.</summary>
    Failed,
}
