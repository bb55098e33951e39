namespace EvalKit.Security;

/// <summary>Options of <see cref="EncryptingEvalKitStorage"/>.</summary>
public sealed class FieldEncryptionOptions
{
    /// <summary>Gets or sets the fields to encrypt.</summary>
    /// <value>The default value is <see cref="ContentFields.All"/>: inputs, references and answers.</value>
    public ContentFields Fields { get; set; } = ContentFields.All;

    /// <summary>
    /// Gets or sets whether a stored value without an encryption envelope is read as it is. This lets a store that held
    /// plaintext before encryption was turned on stay readable; turn it off once every value is encrypted, so that a
    /// value replaced by plaintext in the database is an error instead of being read.
    /// </summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool AllowPlaintext { get; set; } = true;
}
