namespace EvalKit.Security;

/// <summary>The default <see cref="IEvalKitAuthorizationPolicy"/>: every operation is allowed (and still audited).</summary>
public sealed class AllowAllAuthorizationPolicy : IEvalKitAuthorizationPolicy
{
    /// <summary>Gets the shared instance.</summary>
    public static AllowAllAuthorizationPolicy Instance { get; } = new();

    /// <inheritdoc/>
    public ValueTask AuthorizeAsync(EvalKitOperation operation, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
