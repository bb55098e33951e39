namespace EvalKit.Scoring;

/// <summary>Options of <see cref="SemanticSimilarityScorer"/>.</summary>
public sealed record SemanticSimilarityOptions
{
    /// <summary>Gets the default options: no threshold, 10 000 cached embeddings, batches of up to 64 texts gathered for 5 ms.</summary>
    public static SemanticSimilarityOptions Default { get; } = new();

    /// <summary>Gets the threshold: when set, the answer passes when the similarity is at least this value.</summary>
    public double? Threshold { get; init; }

    /// <summary>Gets the most embeddings kept in the least-recently-used cache; 0 disables caching. Default 10 000.</summary>
    public int CacheCapacity { get; init; } = 10_000;

    /// <summary>Gets the most texts sent in one call to the embedding generator. Default 64.</summary>
    public int MaxBatchSize { get; init; } = 64;

    /// <summary>
    /// Gets how long texts from concurrent scorings are gathered into one call; <see cref="TimeSpan.Zero"/> sends each
    /// scoring's texts (answer and references together) at once. Default 5 ms.
    /// </summary>
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// Gets the registered id of the embedding model, under which embeddings are recorded in <see cref="Score.Usage"/> and
    /// priced from the registry; when <see langword="null"/>, the generator's
    /// <see cref="Microsoft.Extensions.AI.EmbeddingGeneratorMetadata.DefaultModelId"/>, then the embeddings' model id.
    /// </summary>
    public string? ModelId { get; init; }
}
