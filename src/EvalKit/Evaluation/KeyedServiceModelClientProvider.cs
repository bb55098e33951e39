using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Evaluation;

/// <summary>The default <see cref="IModelClientProvider"/> under DI: the keyed <see cref="IChatClient"/> whose key is the model id.</summary>
public sealed class KeyedServiceModelClientProvider : IModelClientProvider
{
    private readonly IServiceProvider _services;

    /// <summary>Initializes a new instance of the <see cref="KeyedServiceModelClientProvider"/> class.</summary>
    /// <param name="services">The service provider.</param>
    public KeyedServiceModelClientProvider(IServiceProvider services)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
    }

    /// <inheritdoc/>
    public IChatClient? GetClient(string modelId) => _services.GetKeyedService<IChatClient>(modelId);
}
