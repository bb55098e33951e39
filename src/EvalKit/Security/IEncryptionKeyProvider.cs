namespace EvalKit.Security;

/// <summary>
/// Supplies the keys of field encryption at rest (see <see cref="EncryptingEvalKitStorage"/>): the current key, which
/// encrypts every new value, and any key by id, which decrypts values written under it. Rotating keys means making a
/// new key current while keeping the old ones available by id until no stored value uses them.
/// </summary>
/// <remarks>
/// The host implements it over its key store (a key vault, a KMS, configuration). EvalKit asks for the current key once
/// per write operation and for a key by id once per read operation and key; cache in the provider if lookups are costly.
/// A multi-tenant host may return a different current key per tenant (see <see cref="EvalKitTenant.Resolve"/>): every
/// value records its key id, so reads need no tenant.
/// </remarks>
public interface IEncryptionKeyProvider
{
    /// <summary>Gets the key that encrypts new values.</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The current key.</returns>
    ValueTask<EncryptionKey> GetCurrentKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>Gets a key by id, to decrypt values written under it.</summary>
    /// <param name="keyId">The key id stored with the value.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The key, or <see langword="null"/> when the provider does not know it.</returns>
    ValueTask<EncryptionKey?> GetKeyAsync(string keyId, CancellationToken cancellationToken = default);
}
