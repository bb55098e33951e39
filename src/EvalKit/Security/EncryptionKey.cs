namespace EvalKit.Security;

/// <summary>
/// A key for field encryption at rest: an id, stored with every value it encrypts, and 16, 24 or 32 bytes of key
/// material for AES-GCM (32 bytes, AES-256, is recommended).
/// </summary>
/// <remarks>The material is copied; <see cref="ToString"/> shows the id only.</remarks>
public sealed class EncryptionKey
{
    /// <summary>The longest key id.</summary>
    public const int MaxIdLength = 64;

    private readonly byte[] _material;

    /// <summary>Initializes a new instance of the <see cref="EncryptionKey"/> class.</summary>
    /// <param name="id">The key id: 1-64 ASCII letters, digits and . _ -, such as <c>"2025-01"</c> or <c>"kv-7f3a"</c>.</param>
    /// <param name="material">The key: 16, 24 or 32 random bytes; copied.</param>
    /// <exception cref="ArgumentException">The id is not valid or the material has the wrong length.</exception>
    public EncryptionKey(string id, ReadOnlySpan<byte> material)
    {
        if (!IsValidId(id))
        {
            throw new ArgumentException($"'{id}' is not a valid key id: use 1-{MaxIdLength} ASCII letters, digits and . _ -.", nameof(id));
        }

        if (material.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException($"Key '{id}' has {material.Length} bytes; AES-GCM takes 16, 24 or 32 (32 recommended).", nameof(material));
        }

        Id = id;
        _material = material.ToArray();
    }

    /// <summary>Gets the key id.</summary>
    public string Id { get; }

    /// <summary>Gets the key material.</summary>
    public ReadOnlySpan<byte> Material => _material;

    /// <summary>Tells whether a string is a valid key id.</summary>
    /// <param name="id">The candidate.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool IsValidId(string? id) =>
        id is { Length: > 0 and <= MaxIdLength } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <inheritdoc/>
    public override string ToString() => $"EncryptionKey({Id})";
}
