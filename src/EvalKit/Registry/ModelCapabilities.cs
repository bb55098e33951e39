using System.Collections.Frozen;

namespace EvalKit.Registry;

/// <summary>
/// The standard capability vocabulary, and the rules for custom capability names (and tags, which follow the same rules).
/// </summary>
/// <remarks>
/// <para>
/// A capability name is 1 to <see cref="MaxLength"/> characters of lower-case ASCII letters, digits and <c>- . : /</c>,
/// starting and ending with a letter or digit. Custom capabilities are welcome; give them a prefix of your own
/// (<c>"acme:legal-review"</c>) so they never collide with a future standard name.
/// </para>
/// <para>
/// Stored names must already be lower-case: the registry refuses <c>"Vision"</c> rather than silently changing it, so the
/// store holds one spelling. Queries are forgiving: <see cref="IModelRegistry.FindByCapabilitiesAsync"/> and
/// <see cref="ModelQuery"/> trim and lower-case (invariant culture) the names they are given, so <c>"Vision"</c> finds
/// models with <c>"vision"</c>.
/// </para>
/// </remarks>
public static class ModelCapabilities
{
    /// <summary>The longest capability (or tag) name.</summary>
    public const int MaxLength = 64;

    /// <summary>Multi-turn chat (the model accepts a conversation).</summary>
    public const string Chat = "chat";

    /// <summary>JSON mode: the model can be asked to answer with valid JSON.</summary>
    public const string Json = "json";

    /// <summary>Structured outputs: the model's answer follows a given JSON Schema.</summary>
    public const string StructuredOutput = "structured-output";

    /// <summary>Tool (function) calling.</summary>
    public const string Tools = "tools";

    /// <summary>Images as input.</summary>
    public const string Vision = "vision";

    /// <summary>Audio as input or output.</summary>
    public const string Audio = "audio";

    /// <summary>Good at writing and reading code.</summary>
    public const string Code = "code";

    /// <summary>Extended reasoning ("thinking") before answering.</summary>
    public const string Reasoning = "reasoning";

    /// <summary>A long context window (by convention 100,000 tokens or more; <see cref="ModelDescriptor.ContextWindow"/> has the number).</summary>
    public const string LongContext = "long-context";

    /// <summary>Produces embeddings (an <c>IEmbeddingGenerator</c> rather than a chat model).</summary>
    public const string Embeddings = "embeddings";

    /// <summary>Streams its answers.</summary>
    public const string Streaming = "streaming";

    /// <summary>Generates images.</summary>
    public const string ImageGeneration = "image-generation";

    /// <summary>Answers well in many languages.</summary>
    public const string Multilingual = "multilingual";

    /// <summary>Gets the standard capability names above.</summary>
    public static IReadOnlySet<string> Standard { get; } = new[]
    {
        Chat, Json, StructuredOutput, Tools, Vision, Audio, Code, Reasoning, LongContext, Embeddings, Streaming, ImageGeneration, Multilingual,
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Tells whether a name is one of the <see cref="Standard"/> capabilities.</summary>
    /// <param name="name">The name, compared exactly.</param>
    /// <returns><see langword="true"/> for a standard name.</returns>
    public static bool IsStandard(string? name) => name is not null && Standard.Contains(name);

    /// <summary>Tells whether a name is a well-formed capability (or tag) name, as stored.</summary>
    /// <param name="name">The name.</param>
    /// <returns><see langword="true"/> when the name follows the rules in the remarks of <see cref="ModelCapabilities"/>.</returns>
    public static bool IsWellFormed(string? name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > MaxLength || (!char.IsAsciiLetterLower(name[0]) && !char.IsAsciiDigit(name[0])))
        {
            return false;
        }

        var last = name[^1];
        if (!char.IsAsciiLetterLower(last) && !char.IsAsciiDigit(last))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterLower(c) && !char.IsAsciiDigit(c) && c is not ('-' or '.' or ':' or '/'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Normalizes a capability (or tag) name given in a query: trims it and lower-cases it (invariant culture).</summary>
    /// <param name="name">The name.</param>
    /// <returns>The normalized name.</returns>
    /// <exception cref="ArgumentException">The name, once normalized, is not well-formed (for example <c>"long_context"</c>).</exception>
    public static string Normalize(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = name.Trim().ToLowerInvariant();
        return IsWellFormed(normalized)
            ? normalized
            : throw new ArgumentException(
                $"'{name}' is not a well-formed capability or tag name: use 1-{MaxLength} lower-case letters, digits and '-', '.', ':' or '/', starting and ending with a letter or digit.",
                nameof(name));
    }
}
