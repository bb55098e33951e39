using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace EvalKit.Security;

/// <summary>The record a field belongs to: bound into the ciphertext (as AES-GCM associated data) and named in errors.</summary>
/// <param name="Kind">The kind of record: <c>case</c>, <c>result</c> or <c>cached answer</c>.</param>
/// <param name="Scope">The dataset, run or cache key.</param>
/// <param name="Ordinal">The case ordinal, for cases and results.</param>
/// <param name="Detail">The case id (cases) or the repetition (results).</param>
internal readonly record struct FieldRecord(string Kind, string Scope, long Ordinal, string Detail)
{
    public static FieldRecord Case(string datasetId, long ordinal, string caseId) => new("case", datasetId, ordinal, caseId);

    public static FieldRecord Result(string runId, long caseOrdinal, int repetition) =>
        new("result", runId, caseOrdinal, repetition.ToString(CultureInfo.InvariantCulture));

    public static FieldRecord Cached(string key) => new("cached answer", key, 0, string.Empty);

    public string Describe() => Kind switch
    {
        "case" => string.Create(CultureInfo.InvariantCulture, $"case '{Detail}' (ordinal {Ordinal}) of dataset '{Scope}'"),
        "result" => string.Create(CultureInfo.InvariantCulture, $"result (run '{Scope}', case ordinal {Ordinal}, repetition {Detail})"),
        _ => $"cached answer '{Scope}'",
    };

    public byte[] AssociatedData(string keyId, string field) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{FieldCipher.Version}\0{keyId}\0{Kind}\0{Scope}\0{Ordinal}\0{Detail}\0{field}"));
}

/// <summary>
/// AES-GCM field encryption with a versioned envelope: <c>ek1:&lt;key id&gt;:&lt;base64url(nonce | ciphertext | tag)&gt;</c>.
/// The associated data binds each value to its key id, record and field, so a value copied to another row or field
/// fails authentication.
/// </summary>
internal sealed class FieldCipher : IDisposable
{
    public const string Version = "ek1";
    public const string Prefix = Version + ":";
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly AesGcm _aes;

    public FieldCipher(EncryptionKey key)
    {
        Key = key;
        _aes = new AesGcm(key.Material, TagSize);
    }

    public EncryptionKey Key { get; }

    public static bool IsEnvelope(string value) => value.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>Reads the key id of an envelope.</summary>
    /// <returns>The key id, or <see langword="null"/> when the envelope is malformed.</returns>
    public static string? KeyIdOf(string envelope)
    {
        var end = envelope.IndexOf(':', Prefix.Length);
        if (end < 0)
        {
            return null;
        }

        var id = envelope[Prefix.Length..end];
        return EncryptionKey.IsValidId(id) ? id : null;
    }

    public string Encrypt(string plaintext, FieldRecord record, string field)
    {
        var plain = Encoding.UTF8.GetBytes(plaintext);
        var payload = new byte[NonceSize + plain.Length + TagSize];
        var nonce = payload.AsSpan(0, NonceSize);
        // Nonces come from the cryptographic generator, never from a seeded source: a repeated nonce under one key breaks GCM.
        RandomNumberGenerator.Fill(nonce);
        _aes.Encrypt(nonce, plain, payload.AsSpan(NonceSize, plain.Length), payload.AsSpan(NonceSize + plain.Length), record.AssociatedData(Key.Id, field));
        CryptographicOperations.ZeroMemory(plain);
        return string.Concat(Prefix, Key.Id, ":", Base64Url.EncodeToString(payload));
    }

    public string Decrypt(string envelope, FieldRecord record, string field)
    {
        var encoded = envelope.AsSpan(Prefix.Length + Key.Id.Length + 1);
        byte[] payload;
        try
        {
            payload = Base64Url.DecodeFromChars(encoded);
        }
        catch (FormatException e)
        {
            throw Malformed(record, field, Key.Id, e);
        }

        if (payload.Length < NonceSize + TagSize)
        {
            throw Malformed(record, field, Key.Id, null);
        }

        var length = payload.Length - NonceSize - TagSize;
        var plain = new byte[length];
        try
        {
            _aes.Decrypt(payload.AsSpan(0, NonceSize), payload.AsSpan(NonceSize, length), payload.AsSpan(NonceSize + length), plain, record.AssociatedData(Key.Id, field));
        }
        catch (AuthenticationTagMismatchException e)
        {
            throw new FieldEncryptionException(
                $"The encrypted {field} of {record.Describe()} failed authentication with key '{Key.Id}': the stored value was changed, " +
                "or copied from another record or field. Restore the record from a backup or delete it.",
                record.Describe(), field, Key.Id, e);
        }

        return Encoding.UTF8.GetString(plain);
    }

    public static FieldEncryptionException Malformed(FieldRecord record, string field, string? keyId, Exception? inner) =>
        new($"The {field} of {record.Describe()} is not a valid encrypted value (expected '{Prefix}<key id>:<base64url data>'): the stored value was changed or truncated.",
            record.Describe(), field, keyId, inner);

    public void Dispose() => _aes.Dispose();
}
