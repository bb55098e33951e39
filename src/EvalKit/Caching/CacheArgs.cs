using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EvalKit.Caching;

/// <summary>Turns the arguments of a cached read into a canonical text for its key (hashed by <see cref="EvalKitCache"/>).</summary>
internal static class CacheArgs
{
    /// <summary>The arguments as JSON, with the contract of <see cref="CachingJsonContext"/>: every property counts, defaults included.</summary>
    /// <typeparam name="T">The arguments' type; it must have a contract.</typeparam>
    /// <param name="value">The arguments.</param>
    /// <returns>The text.</returns>
    public static string Of<T>(T value) =>
        JsonSerializer.Serialize(value, (JsonTypeInfo<T>)(CachingJsonContext.Default.GetTypeInfo(typeof(T))
            ?? throw new InvalidOperationException($"No cache key contract for {typeof(T).Name}.")));
}
