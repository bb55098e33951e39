namespace EvalKit.Security;

/// <summary>
/// A fixed set of keys, one of them current: the simplest <see cref="IEncryptionKeyProvider"/>, for hosts that load
/// their keys at start-up (from configuration or a secret store). To rotate, start with a ring whose current key is the
/// new one and that still holds the old ones.
/// </summary>
/// <example>
/// <code>
/// var keys = new EncryptionKeyRing(
///     current: new EncryptionKey("2025-02", Convert.FromBase64String(config["EvalKit:Keys:2025-02"]!)),
///     previous: [new EncryptionKey("2025-01", Convert.FromBase64String(config["EvalKit:Keys:2025-01"]!))]);
/// </code>
/// </example>
public sealed class EncryptionKeyRing : IEncryptionKeyProvider
{
    private readonly EncryptionKey _current;
    private readonly Dictionary<string, EncryptionKey> _keys = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="EncryptionKeyRing"/> class.</summary>
    /// <param name="current">The key that encrypts new values.</param>
    /// <param name="previous">Older keys, kept to decrypt what they encrypted.</param>
    /// <exception cref="ArgumentException">Two keys share an id.</exception>
    public EncryptionKeyRing(EncryptionKey current, IEnumerable<EncryptionKey>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(current);
        _current = current;
        _keys.Add(current.Id, current);
        foreach (var key in previous ?? [])
        {
            ArgumentNullException.ThrowIfNull(key, nameof(previous));
            if (!_keys.TryAdd(key.Id, key))
            {
                throw new ArgumentException($"Two keys have the id '{key.Id}'; key ids must be unique.", nameof(previous));
            }
        }
    }

    /// <summary>Gets the ids of the keys in the ring, the current one first.</summary>
    public IReadOnlyList<string> KeyIds => [_current.Id, .. _keys.Keys.Where(id => id != _current.Id).Order(StringComparer.Ordinal)];

    /// <inheritdoc/>
    public ValueTask<EncryptionKey> GetCurrentKeyAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_current);

    /// <inheritdoc/>
    public ValueTask<EncryptionKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_keys.GetValueOrDefault(keyId));
}
