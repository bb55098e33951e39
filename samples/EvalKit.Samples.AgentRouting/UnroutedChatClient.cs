using Microsoft.Extensions.AI;

namespace EvalKit.Samples.AgentRouting;

/// <summary>
/// The innermost client of the routing pipeline. <c>SelectingChatClient</c> calls it only for requests no model is
/// eligible for, and only with <c>UseInnerClientWhenNoModelEligible</c>, which this sample leaves off: it says so if called.
/// </summary>
public sealed class UnroutedChatClient : IChatClient
{
    /// <inheritdoc/>
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The request reached the pipeline's inner client: no model was selected for it.");

    /// <inheritdoc/>
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new InvalidOperationException("The request reached the pipeline's inner client: no model was selected for it.");

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        // Nothing to release.
    }
}
