using EvalKit.Evaluation;
using EvalKit.Security;
using EvalKit.Selection;
using EvalKit.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Microsoft.Extensions.AI;

/// <summary>Adds EvalKit's model selection to a <see cref="ChatClientBuilder"/> pipeline.</summary>
public static class SelectingChatClientBuilderExtensions
{
    /// <summary>
    /// Routes every request of the pipeline to the model the <see cref="ISelectionEngine"/> chooses (see <see cref="SelectingChatClient"/>).
    /// The engine, the model clients (<see cref="IModelClientProvider"/>), the metric store, the clock and the tenant context
    /// come from the service provider the pipeline is built with: call <c>services.AddEvalKit()</c> first.
    /// </summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="requestFactory">Builds the selection request of each chat request (per-request overrides apply on top).</param>
    /// <param name="configure">Configures the client's options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException">When the pipeline is built: EvalKit is not registered in the service provider.</exception>
    public static ChatClientBuilder UseModelSelection(this ChatClientBuilder builder, Func<ChatSelectionContext, SelectionRequest> requestFactory, Action<SelectingChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(requestFactory);
        var options = new SelectingChatClientOptions();
        configure?.Invoke(options);
        options.Validate();
        return builder.Use((inner, services) =>
        {
            var engine = services.GetService<ISelectionEngine>() ?? throw Missing(nameof(ISelectionEngine));
            var clients = services.GetService<IModelClientProvider>() ?? throw Missing(nameof(IModelClientProvider));
            return new SelectingChatClient(
                inner,
                engine,
                clients,
                requestFactory,
                options,
                services.GetService<IEvalKitStorage>()?.Metrics,
                services.GetService<TimeProvider>(),
                services.GetService<ILoggerFactory>()?.CreateLogger<SelectingChatClient>(),
                services.GetService<ITenantContext>());
        });
    }

    /// <summary>Routes every request of the pipeline by one fixed selection request (per-request overrides apply on top).</summary>
    /// <param name="builder">The pipeline builder.</param>
    /// <param name="request">The selection request.</param>
    /// <param name="configure">Configures the client's options.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentException">The request is invalid.</exception>
    /// <exception cref="InvalidOperationException">When the pipeline is built: EvalKit is not registered in the service provider.</exception>
    public static ChatClientBuilder UseModelSelection(this ChatClientBuilder builder, SelectionRequest request, Action<SelectingChatClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        return builder.UseModelSelection(_ => request, configure);
    }

    private static InvalidOperationException Missing(string service) =>
        new($"UseModelSelection needs {service} from the service provider: call services.AddEvalKit() and build the pipeline with that provider, or construct SelectingChatClient directly.");
}
