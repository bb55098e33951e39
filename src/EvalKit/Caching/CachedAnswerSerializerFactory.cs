using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Caching.Hybrid;

namespace EvalKit.Caching;

/// <summary>
/// Serializes EvalKit's cached answers for a distributed second level with the source-generated contracts of
/// <see cref="CachingJsonContext"/>; answers of other types stay in the local level only (see <see cref="Supports{T}"/>).
/// </summary>
internal sealed class CachedAnswerSerializerFactory : IHybridCacheSerializerFactory
{
    /// <summary>Gets a value indicating whether answers of type <typeparamref name="T"/> can go to a distributed level.</summary>
    /// <typeparam name="T">The answer's type.</typeparam>
    /// <returns><see langword="true"/> when the type has a contract.</returns>
    public static bool Supports<T>() => Contract<T>.TypeInfo is not null;

    /// <inheritdoc/>
    public bool TryCreateSerializer<T>([NotNullWhen(true)] out IHybridCacheSerializer<T>? serializer)
    {
        serializer = null;
        if (!typeof(T).IsGenericType || typeof(T).GetGenericTypeDefinition() != typeof(CachedAnswer<>))
        {
            return false;
        }

        var valueType = typeof(T).GetGenericArguments()[0];
        if (CachingJsonContext.Default.GetTypeInfo(valueType) is null)
        {
            return false;
        }

        serializer = (IHybridCacheSerializer<T>)Activator.CreateInstance(typeof(Serializer<>).MakeGenericType(valueType))!;
        return true;
    }

    private static class Contract<T>
    {
        public static readonly JsonTypeInfo<T>? TypeInfo = CachingJsonContext.Default.GetTypeInfo(typeof(T)) as JsonTypeInfo<T>;
    }

    /// <summary>Writes <c>{"tenant":…,"stamp":…,"value":…}</c>.</summary>
    private sealed class Serializer<TValue> : IHybridCacheSerializer<CachedAnswer<TValue>>
    {
        private readonly JsonTypeInfo<TValue> _value = Contract<TValue>.TypeInfo
            ?? throw new InvalidOperationException($"No cache contract for {typeof(TValue).Name}.");

        public CachedAnswer<TValue> Deserialize(ReadOnlySequence<byte> source)
        {
            var reader = new Utf8JsonReader(source);
            string? tenant = null;
            long? stamp = null;
            TValue? value = default;
            var hasValue = false;
            Expect(ref reader, JsonTokenType.StartObject);
            while (Read(ref reader) != JsonTokenType.EndObject)
            {
                var name = reader.GetString();
                reader.Read();
                switch (name)
                {
                    case "tenant":
                        tenant = reader.GetString();
                        break;
                    case "stamp":
                        stamp = reader.GetInt64();
                        break;
                    case "value":
                        value = JsonSerializer.Deserialize(ref reader, _value);
                        hasValue = true;
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            return tenant is not null && stamp is { } s && hasValue
                ? new CachedAnswer<TValue>(tenant, s, value!)
                : throw new JsonException("A cached EvalKit answer lacks its tenant, stamp or value.");
        }

        public void Serialize(CachedAnswer<TValue> value, IBufferWriter<byte> target)
        {
            using var writer = new Utf8JsonWriter(target);
            writer.WriteStartObject();
            writer.WriteString("tenant", value.Tenant);
            writer.WriteNumber("stamp", value.Stamp);
            writer.WritePropertyName("value");
            JsonSerializer.Serialize(writer, value.Value, _value);
            writer.WriteEndObject();
        }

        private static JsonTokenType Read(ref Utf8JsonReader reader) =>
            reader.Read() ? reader.TokenType : throw new JsonException("A cached EvalKit answer ends early.");

        private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
        {
            if (Read(ref reader) != type)
            {
                throw new JsonException($"A cached EvalKit answer starts with {reader.TokenType}, not {type}.");
            }
        }
    }
}
