using EvalKit.Storage;

namespace EvalKit.Security;

/// <summary>
/// A storage decorator that encrypts prompts (case inputs and chat turns), references and answers (result outputs, score
/// explanations, cached answers) at rest with AES-GCM, over any provider. Every value is stored as a versioned envelope,
/// <c>ek1:&lt;key id&gt;:&lt;base64url(nonce | ciphertext | tag)&gt;</c>, bound to its record and field; reads decrypt
/// with the key the envelope names, so keys can rotate (see <see cref="IEncryptionKeyProvider"/>).
/// </summary>
/// <remarks>
/// <para>
/// What stays in clear: ids (models, datasets, cases, runs), case groups and metadata, scores, labels, error messages,
/// timings, tokens, costs, benchmarks (prompt templates, few-shot examples) and response-cache keys (SHA-256 hashes of
/// the prompt). Lookups by those keep working. What can no longer be searched or compared inside the database: the
/// encrypted fields themselves; each encryption uses a fresh nonce, so equal texts are stored differently and a SQL
/// query on them (equality, <c>LIKE</c>, JSON paths into case inputs) finds nothing. EvalKit never queries them.
/// </para>
/// <para>
/// Stack <see cref="RedactingEvalKitStorage"/> outside this decorator, never inside: redaction must see plaintext.
/// With dependency injection, <c>UseFieldEncryption</c> and <c>UsePersonalDataRedaction</c> order them for you.
/// </para>
/// </remarks>
/// <example>
/// <code>
/// var keys = new EncryptionKeyRing(new EncryptionKey("2025-01", keyBytes));
/// await using var kit = EvalKitHost.Create(storage: new EncryptingEvalKitStorage(new SqliteEvalKitStorage("Data Source=evalkit.db"), keys));
/// </code>
/// </example>
public sealed class EncryptingEvalKitStorage : DelegatingEvalKitStorage
{
    private readonly ProtectedStores _stores;

    /// <summary>Initializes a new instance of the <see cref="EncryptingEvalKitStorage"/> class.</summary>
    /// <param name="inner">The store to wrap.</param>
    /// <param name="keyProvider">Supplies the current key and the keys of stored values.</param>
    /// <param name="options">Which fields to encrypt; all content fields when <see langword="null"/>.</param>
    /// <param name="ownsInner">Whether disposing this store disposes <paramref name="inner"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="inner"/> is a <see cref="RedactingEvalKitStorage"/>: redaction would see ciphertext.</exception>
    public EncryptingEvalKitStorage(IEvalKitStorage inner, IEncryptionKeyProvider keyProvider, FieldEncryptionOptions? options = null, bool ownsInner = true)
        : base(inner, ownsInner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(keyProvider);
        if (inner is RedactingEvalKitStorage)
        {
            throw new ArgumentException(
                "Encryption cannot wrap redaction: the redactor would see ciphertext. Wrap the other way round: new RedactingEvalKitStorage(new EncryptingEvalKitStorage(store, keys)).",
                nameof(inner));
        }

        options ??= new FieldEncryptionOptions();
        KeyProvider = keyProvider;
        Fields = options.Fields;
        _stores = new ProtectedStores(inner, new Protector(keyProvider, options.Fields, options.AllowPlaintext));
    }

    /// <summary>Gets the key provider.</summary>
    public IEncryptionKeyProvider KeyProvider { get; }

    /// <summary>Gets the encrypted fields.</summary>
    public ContentFields Fields { get; }

    /// <inheritdoc/>
    public override IDatasetStorage Datasets => _stores.Datasets;

    /// <inheritdoc/>
    public override IResultStorage Results => _stores.Results;

    /// <inheritdoc/>
    public override IResponseCacheStorage ResponseCache => _stores.ResponseCache;

    private sealed class Protector(IEncryptionKeyProvider keys, ContentFields fields, bool allowPlaintext) : IContentProtector
    {
        public ContentFields Fields => fields;

        public async ValueTask<IContentWriter> BeginWriteAsync(CancellationToken cancellationToken)
        {
            var key = await keys.GetCurrentKeyAsync(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"The encryption key provider {keys.GetType().Name} returned no current key.");
            return new Writer(new FieldCipher(key));
        }

        public IContentReader BeginRead() => new Reader(keys, allowPlaintext);
    }

    private sealed class Writer(FieldCipher cipher) : IContentWriter
    {
        public string Write(string text, FieldRecord record, string field) => cipher.Encrypt(text, record, field);

        public void Dispose() => cipher.Dispose();
    }

    private sealed class Reader(IEncryptionKeyProvider keys, bool allowPlaintext) : IContentReader
    {
        private readonly Dictionary<string, FieldCipher> _ciphers = new(StringComparer.Ordinal);

        public ValueTask<string> ReadAsync(string text, FieldRecord record, string field, CancellationToken cancellationToken)
        {
            if (!FieldCipher.IsEnvelope(text))
            {
                return allowPlaintext
                    ? ValueTask.FromResult(text)
                    : throw new FieldEncryptionException(
                        $"The {field} of {record.Describe()} is stored unencrypted, and plaintext is not allowed (FieldEncryptionOptions.AllowPlaintext is off).",
                        record.Describe(), field, null);
            }

            var keyId = FieldCipher.KeyIdOf(text) ?? throw FieldCipher.Malformed(record, field, null, null);
            return _ciphers.TryGetValue(keyId, out var cipher)
                ? ValueTask.FromResult(cipher.Decrypt(text, record, field))
                : ReadWithNewKeyAsync(text, keyId, record, field, cancellationToken);
        }

        public void Dispose()
        {
            foreach (var cipher in _ciphers.Values)
            {
                cipher.Dispose();
            }
        }

        private async ValueTask<string> ReadWithNewKeyAsync(string text, string keyId, FieldRecord record, string field, CancellationToken cancellationToken)
        {
            var key = await keys.GetKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
            if (key is null || !string.Equals(key.Id, keyId, StringComparison.Ordinal))
            {
                throw new FieldEncryptionException(
                    $"The {field} of {record.Describe()} was encrypted with key '{keyId}', which the key provider ({keys.GetType().Name}) does not know. " +
                    "Keep retired keys available by id until no stored value uses them.",
                    record.Describe(), field, keyId);
            }

            var cipher = new FieldCipher(key);
            _ciphers.Add(keyId, cipher);
            return cipher.Decrypt(text, record, field);
        }
    }
}
