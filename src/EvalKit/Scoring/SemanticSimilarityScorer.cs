using System.Globalization;
using Microsoft.Extensions.AI;

namespace EvalKit.Scoring;

/// <summary>
/// Cosine similarity between the embeddings of the answer and of each reference; the value is the highest similarity
/// over the references (−1 to 1, usually 0 to 1). With a <see cref="SemanticSimilarityOptions.Threshold"/>, the
/// answer passes when the value reaches it.
/// </summary>
/// <remarks>
/// <para>
/// Embeddings come from any <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>, which the scorer uses but neither
/// owns nor disposes. Embeddings are cached by exact text in a bounded least-recently-used cache, and texts requested
/// concurrently are gathered into one <c>GenerateAsync</c> call of up to <see cref="SemanticSimilarityOptions.MaxBatchSize"/>
/// texts within <see cref="SemanticSimilarityOptions.BatchWindow"/>; a text already being embedded is not requested again.
/// </para>
/// <para>
/// A batch is shared by several scorings, so it runs without their cancellation tokens; a cancelled scoring stops
/// waiting for it. A failed batch fails every scoring waiting on it (the exception propagates) and caches nothing.
/// The scorer is thread-safe.
/// </para>
/// <para>
/// A score's <see cref="Score.Usage"/> counts the texts embedded for it (cache hits and texts another scoring requested
/// first are not counted) and their share of the batch's reported input tokens, split by text length.
/// </para>
/// </remarks>
public sealed class SemanticSimilarityScorer : IScorer
{
    /// <summary>The default metric name, <c>semantic_similarity</c>.</summary>
    public const string DefaultName = "semantic_similarity";

    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;
    private readonly SemanticSimilarityOptions _options;
    private readonly EmbeddingCache _cache;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, TaskCompletionSource<EmbeddedText>> _inFlight = new(StringComparer.Ordinal);
    private readonly List<string> _queue = [];
    private bool _flushScheduled;

    /// <summary>Initializes a new instance of the <see cref="SemanticSimilarityScorer"/> class.</summary>
    /// <param name="generator">The embedding generator; not disposed by the scorer.</param>
    /// <param name="options">The options; <see langword="null"/> for <see cref="SemanticSimilarityOptions.Default"/>.</param>
    /// <param name="name">The metric name.</param>
    /// <exception cref="ArgumentNullException"><paramref name="generator"/> or <paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The threshold is not finite, the cache capacity is negative, the batch size is not positive or the window is negative.</exception>
    public SemanticSimilarityScorer(
        IEmbeddingGenerator<string, Embedding<float>> generator,
        SemanticSimilarityOptions? options = null,
        string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        options ??= SemanticSimilarityOptions.Default;
        if (options.Threshold is { } threshold && !double.IsFinite(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(options), threshold, "The threshold must be finite.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.CacheCapacity, nameof(options));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxBatchSize, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchWindow, TimeSpan.Zero, nameof(options));
        _generator = generator;
        _options = options;
        _cache = new EmbeddingCache(options.CacheCapacity);
        Name = name;
    }

    /// <inheritdoc/>
    public string Name { get; }

    /// <summary>Gets the number of embeddings in the cache.</summary>
    public int CachedCount => _cache.Count;

    /// <summary>Computes the cosine similarity of two vectors.</summary>
    /// <param name="a">The first vector.</param>
    /// <param name="b">The second vector, as long as the first.</param>
    /// <returns>The cosine similarity, or <see cref="double.NaN"/> when a vector is all zeros.</returns>
    /// <exception cref="ArgumentException">The vectors differ in length or are empty.</exception>
    public static double CosineSimilarity(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        if (a.Length != b.Length || a.Length == 0)
        {
            throw new ArgumentException("The vectors must be non-empty and of the same length.", nameof(b));
        }

        double dot = 0, na = 0, nb = 0;
        for (var i = 0; i < a.Length; i++)
        {
            dot += (double)a[i] * b[i];
            na += (double)a[i] * a[i];
            nb += (double)b[i] * b[i];
        }

        return na == 0 || nb == 0 ? double.NaN : Math.Clamp(dot / (Math.Sqrt(na) * Math.Sqrt(nb)), -1, 1);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="context"/> is <see langword="null"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<Score> ScoreAsync(ScoringContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        cancellationToken.ThrowIfCancellationRequested();
        if (context.References.Count == 0)
        {
            return ScorerErrors.NoReference(Name, context);
        }

        var texts = new string[context.References.Count + 1];
        texts[0] = context.Output;
        for (var i = 0; i < context.References.Count; i++)
        {
            texts[i + 1] = context.References[i];
        }

        var (vectors, usage) = await GetEmbeddingsAsync(texts, cancellationToken).ConfigureAwait(false);
        var best = double.NegativeInfinity;
        for (var i = 1; i < vectors.Length; i++)
        {
            if (vectors[i].Length != vectors[0].Length || vectors[0].Length == 0)
            {
                return Score.Failed(Name, "The embedding generator returned vectors of different lengths.") with { Usage = usage };
            }

            var similarity = CosineSimilarity(vectors[0], vectors[i]);
            if (!double.IsNaN(similarity) && similarity > best)
            {
                best = similarity;
            }
        }

        if (double.IsNegativeInfinity(best))
        {
            return Score.Failed(Name, "The similarity is undefined: an embedding is all zeros.") with { Usage = usage };
        }

        return new Score
        {
            Name = Name,
            Value = best,
            Passed = _options.Threshold is { } threshold ? best >= threshold : null,
            Explanation = _options.Threshold is { } t
                ? string.Format(CultureInfo.InvariantCulture, "Cosine similarity {0:F4} (threshold {1}).", best, t)
                : null,
            Usage = usage,
        };
    }

    // The usage of the texts this scoring had embedded: one entry, or none when every text was cached or already requested.
    private static ScoreUsage[]? UsageOf(EmbeddedText[] embedded, bool[] initiated)
    {
        int calls = 0;
        long? tokens = 0;
        string? modelId = null;
        for (var i = 0; i < embedded.Length; i++)
        {
            if (initiated[i])
            {
                calls++;
                tokens += embedded[i].InputTokens;
                modelId ??= embedded[i].ModelId;
            }
        }

        return calls == 0
            ? null
            : [new ScoreUsage { Kind = ScoreUsageKind.Embedding, ModelId = modelId, Calls = calls, InputTokens = tokens, OutputTokens = tokens is null ? null : 0 }];
    }

    private async Task<(float[][] Vectors, ScoreUsage[]? Usage)> GetEmbeddingsAsync(string[] texts, CancellationToken cancellationToken)
    {
        var tasks = new Task<EmbeddedText>[texts.Length];
        var initiated = new bool[texts.Length];
        List<List<string>>? batches = null;
        var scheduleFlush = false;
        lock (_gate)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                var text = texts[i];
                if (_cache.TryGet(text, out var cached))
                {
                    tasks[i] = Task.FromResult(new EmbeddedText(cached, 0, null));
                }
                else if (_inFlight.TryGetValue(text, out var pending))
                {
                    tasks[i] = pending.Task;
                }
                else
                {
                    var source = new TaskCompletionSource<EmbeddedText>(TaskCreationOptions.RunContinuationsAsynchronously);
                    _inFlight[text] = source;
                    _queue.Add(text);
                    tasks[i] = source.Task;
                    initiated[i] = true;
                }
            }

            if (_options.BatchWindow == TimeSpan.Zero)
            {
                batches = TakeBatches(all: true);
            }
            else
            {
                batches = TakeBatches(all: false);
                if (_queue.Count > 0 && !_flushScheduled)
                {
                    _flushScheduled = true;
                    scheduleFlush = true;
                }
            }
        }

        if (batches is not null)
        {
            foreach (var batch in batches)
            {
                _ = RunBatchAsync(batch);
            }
        }

        if (scheduleFlush)
        {
            _ = FlushLaterAsync();
        }

        var embedded = await Task.WhenAll(tasks).WaitAsync(cancellationToken).ConfigureAwait(false);
        var vectors = new float[embedded.Length][];
        for (var i = 0; i < embedded.Length; i++)
        {
            vectors[i] = embedded[i].Vector;
        }

        return (vectors, UsageOf(embedded, initiated));
    }

    // Under _gate: removes full batches from the queue (and the last partial one when all is set).
    private List<List<string>>? TakeBatches(bool all)
    {
        List<List<string>>? batches = null;
        while (_queue.Count >= _options.MaxBatchSize || (all && _queue.Count > 0))
        {
            var size = Math.Min(_queue.Count, _options.MaxBatchSize);
            (batches ??= []).Add(_queue.GetRange(0, size));
            _queue.RemoveRange(0, size);
        }

        return batches;
    }

    private async Task FlushLaterAsync()
    {
        await Task.Delay(_options.BatchWindow).ConfigureAwait(false);
        List<List<string>>? batches;
        lock (_gate)
        {
            _flushScheduled = false;
            batches = TakeBatches(all: true);
        }

        if (batches is not null)
        {
            foreach (var batch in batches)
            {
                _ = RunBatchAsync(batch);
            }
        }
    }

    private async Task RunBatchAsync(List<string> batch)
    {
        float[][]? vectors = null;
        long?[]? tokens = null;
        string? modelId = null;
        Exception? failure = null;
        try
        {
            var embeddings = await _generator.GenerateAsync(batch, options: null, CancellationToken.None).ConfigureAwait(false);
            modelId = _options.ModelId ?? _generator.GetService<EmbeddingGeneratorMetadata>()?.DefaultModelId ?? embeddings?.FirstOrDefault()?.ModelId;
            tokens = Apportion(embeddings?.Usage?.InputTokenCount, batch);
            if (embeddings is null || embeddings.Count != batch.Count)
            {
                failure = new InvalidOperationException(string.Format(
                    CultureInfo.InvariantCulture,
                    "The embedding generator returned {0} embeddings for {1} texts.",
                    embeddings?.Count ?? 0,
                    batch.Count));
            }
            else
            {
                vectors = new float[batch.Count][];
                for (var i = 0; i < batch.Count; i++)
                {
                    vectors[i] = embeddings[i].Vector.ToArray();
                }
            }
        }
#pragma warning disable CA1031 // The failure is handed to every scoring waiting on the batch.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex;
        }

        var sources = new TaskCompletionSource<EmbeddedText>[batch.Count];
        lock (_gate)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                if (vectors is not null)
                {
                    _cache.Add(batch[i], vectors[i]);
                }

                _inFlight.Remove(batch[i], out var source);
                sources[i] = source!;
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (vectors is not null)
            {
                sources[i].TrySetResult(new EmbeddedText(vectors[i], tokens?[i], modelId));
            }
            else
            {
                sources[i].TrySetException(failure!);
            }
        }
    }

    // Splits a batch's input tokens over its texts by length (largest remainders first), so that the shares add up exactly.
    internal static long?[] Apportion(long? total, List<string> batch)
    {
        var shares = new long?[batch.Count];
        if (total is not { } all || all < 0)
        {
            return shares;
        }

        long length = 0;
        foreach (var text in batch)
        {
            length += Math.Max(1, text.Length);
        }

        long assigned = 0;
        var remainders = new (long Remainder, int Index)[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var weight = Math.Max(1, batch[i].Length);
            var exact = (decimal)all * weight;
            var share = (long)(exact / length);
            shares[i] = share;
            assigned += share;
            remainders[i] = ((long)(exact - ((decimal)share * length)), i);
        }

        Array.Sort(remainders, static (a, b) => b.Remainder != a.Remainder ? b.Remainder.CompareTo(a.Remainder) : a.Index.CompareTo(b.Index));
        for (var k = 0; assigned < all; k++, assigned++)
        {
            shares[remainders[k % remainders.Length].Index]++;
        }

        return shares;
    }

    private readonly record struct EmbeddedText(float[] Vector, long? InputTokens, string? ModelId);
}
