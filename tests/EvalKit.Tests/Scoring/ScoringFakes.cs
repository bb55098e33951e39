using System.Collections.Concurrent;
using EvalKit.Datasets;
using EvalKit.Scoring;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Scoring;

/// <summary>Builds scoring contexts for scorer tests.</summary>
internal static class Ctx
{
    public static ScoringContext Of(string output, params string[] references) =>
        new(new EvalCase { Id = "case-1", Input = "What is the answer?", References = references }, output, "model-x");

    public static ScoringContext WithInput(string input, string output, params string[] references) =>
        new(new EvalCase { Id = "case-1", Input = input, References = references }, output, "model-x");
}

/// <summary>A deterministic fake judge: replies with a function of the prompt and records every prompt.</summary>
internal sealed class ScriptedJudgeClient(Func<string, string> reply) : IChatClient
{
    public ConcurrentQueue<string> Prompts { get; } = new();

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var prompt = string.Join("\n", messages.Select(m => m.Text));
        Prompts.Enqueue(prompt);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply(prompt))));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

/// <summary>
/// A deterministic fake embedding generator: a text's vector counts its letters a..z (case-insensitive), or is the
/// vector given for it. Records each call's inputs.
/// </summary>
internal sealed class LetterCountEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Dictionary<string, float[]> _fixed = new(StringComparer.Ordinal);

    public ConcurrentQueue<string[]> Calls { get; } = new();

    public TimeSpan Delay { get; init; }

    public bool Disposed { get; private set; }

    public LetterCountEmbeddingGenerator With(string text, params float[] vector)
    {
        _fixed[text] = vector;
        return this;
    }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = values.ToArray();
        Calls.Enqueue(inputs);
        if (Delay > TimeSpan.Zero)
        {
            await Task.Delay(Delay, cancellationToken);
        }

        return new GeneratedEmbeddings<Embedding<float>>(inputs.Select(t => new Embedding<float>(Vector(t))));
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose() => Disposed = true;

    private float[] Vector(string text)
    {
        if (_fixed.TryGetValue(text, out var v))
        {
            return v;
        }

        var counts = new float[26];
        foreach (var c in text.ToLowerInvariant())
        {
            if (c is >= 'a' and <= 'z')
            {
                counts[c - 'a']++;
            }
        }

        return counts;
    }
}
