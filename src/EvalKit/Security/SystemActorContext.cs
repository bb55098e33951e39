namespace EvalKit.Security;

/// <summary>The default actor context: every change is made by <see cref="SystemActor"/>.</summary>
public sealed class SystemActorContext : IEvalKitActorContext
{
    /// <summary>The actor recorded when the host names none.</summary>
    public const string SystemActor = "system";

    /// <summary>Gets the shared instance.</summary>
    public static SystemActorContext Instance { get; } = new();

    /// <inheritdoc/>
    /// <value>Always <see cref="SystemActor"/>.</value>
    public string CurrentActor => SystemActor;
}
