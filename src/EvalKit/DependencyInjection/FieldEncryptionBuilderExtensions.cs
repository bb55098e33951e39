using EvalKit.Security;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds field encryption at rest to EvalKit's store.</summary>
public static class FieldEncryptionBuilderExtensions
{
    /// <summary>
    /// Encrypts prompts, references and answers at rest (see <see cref="EncryptingEvalKitStorage"/>) over whichever store
    /// is configured, whether <c>Use*Storage</c> is called before or after this. Calling it again replaces the key
    /// provider and options; it never encrypts twice.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="keyProvider">Supplies the keys (not disposed by EvalKit).</param>
    /// <param name="configure">Chooses the fields and whether plaintext values are still read.</param>
    /// <returns>The builder.</returns>
    /// <example>
    /// <code>
    /// services.AddEvalKit()
    ///         .UseSqliteStorage("Data Source=evalkit.db")
    ///         .UseFieldEncryption(new EncryptionKeyRing(new EncryptionKey("2025-01", keyBytes)));
    /// </code>
    /// </example>
    public static IEvalKitBuilder UseFieldEncryption(this IEvalKitBuilder builder, IEncryptionKeyProvider keyProvider, Action<FieldEncryptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(keyProvider);
        return builder.UseFieldEncryption(_ => keyProvider, configure);
    }

    /// <summary>
    /// Encrypts prompts, references and answers at rest over whichever store is configured, with a key provider resolved
    /// from the container (see <see cref="UseFieldEncryption(IEvalKitBuilder, IEncryptionKeyProvider, Action{FieldEncryptionOptions}?)"/>).
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="keyProvider">Gets the key provider from the container.</param>
    /// <param name="configure">Chooses the fields and whether plaintext values are still read.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="InvalidOperationException"><c>AddEvalKit</c> was not called first.</exception>
    public static IEvalKitBuilder UseFieldEncryption(this IEvalKitBuilder builder, Func<IServiceProvider, IEncryptionKeyProvider> keyProvider, Action<FieldEncryptionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keyProvider);
        var options = new FieldEncryptionOptions();
        configure?.Invoke(options);
        StorageDecoration.Decorate(builder.Services, "encryption", StorageDecoration.EncryptionOrder, (sp, inner, owned) =>
            new EncryptingEvalKitStorage(
                inner,
                keyProvider(sp) ?? throw new InvalidOperationException("The key provider factory given to UseFieldEncryption returned null."),
                options,
                owned));
        return builder;
    }
}
