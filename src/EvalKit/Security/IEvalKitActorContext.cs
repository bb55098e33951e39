namespace EvalKit.Security;

/// <summary>
/// Tells EvalKit who is acting: the registry records this actor as <see cref="Registry.ModelRevision.ChangedBy"/> on every
/// revision it writes, the <see cref="IEvalKitAuthorizationPolicy"/> sees it on every operation, and the audit log records it
/// (<see cref="AuditEntry.Actor"/>). The default is <see cref="SystemActorContext"/>, which always answers <c>"system"</c>.
/// </summary>
/// <remarks>
/// <para>
/// A host replaces it with its own implementation, registered as a singleton after (or before) <c>AddEvalKit()</c>, such
/// as one that reads the signed-in user from <c>IHttpContextAccessor</c> or from an <see cref="AsyncLocal{T}"/> the host
/// sets per job. It is read once per write, on the writing thread, so it must be cheap and thread-safe.
/// </para>
/// <para>This is deliberately minimal: it names the actor and nothing else; what the actor may do is the policy's to decide.</para>
/// </remarks>
public interface IEvalKitActorContext
{
    /// <summary>Gets the actor on whose behalf the current operation runs: a user name, a service principal, a job name.</summary>
    /// <value>A non-blank string of at most 200 characters, recorded verbatim.</value>
    string CurrentActor { get; }
}
