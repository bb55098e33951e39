using Microsoft.Extensions.AI;

namespace EvalKit.Evaluation;

/// <summary>An <see cref="IModelClientProvider"/> over a fixed map of model ids to clients, for hosts without DI.</summary>
public sealed class ModelClientMap : IModelClientProvider
{
    private readonly Dictionary<string, IChatClient> _clients = new(StringComparer.Ordinal);

    /// <summary>Maps a model id to a client (not owned: the caller disposes it).</summary>
    /// <param name="modelId">The model id.</param>
    /// <param name="client">The client.</param>
    /// <returns>This map, for chaining.</returns>
    public ModelClientMap Add(string modelId, IChatClient client)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentNullException.ThrowIfNull(client);
        _clients[modelId] = client;
        return this;
    }

    /// <inheritdoc/>
    public IChatClient? GetClient(string modelId) => _clients.GetValueOrDefault(modelId);
}
