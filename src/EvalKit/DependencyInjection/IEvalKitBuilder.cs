namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Configures EvalKit in a service collection; add-on packages (storage providers) extend it.</summary>
public interface IEvalKitBuilder
{
    /// <summary>Gets the service collection EvalKit is registered in.</summary>
    IServiceCollection Services { get; }
}
