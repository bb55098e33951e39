using Microsoft.Extensions.AI;

namespace EvalKit.Evaluation;

/// <summary>Finds the <see cref="IChatClient"/> that serves a model.</summary>
public interface IModelClientProvider
{
    /// <summary>Gets the client for a model.</summary>
    /// <param name="modelId">The model id.</param>
    /// <returns>The client, or <see langword="null"/> when none is configured. The caller does not own (dispose) it.</returns>
    IChatClient? GetClient(string modelId);
}
