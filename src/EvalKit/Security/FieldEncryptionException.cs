namespace EvalKit.Security;

/// <summary>
/// Raised when an encrypted field cannot be decrypted: its key is unknown to the key provider, its envelope is malformed,
/// or it fails authentication (the stored value was changed, or copied from another record or field).
/// </summary>
public sealed class FieldEncryptionException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="FieldEncryptionException"/> class.</summary>
    public FieldEncryptionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FieldEncryptionException"/> class with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public FieldEncryptionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FieldEncryptionException"/> class with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public FieldEncryptionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="FieldEncryptionException"/> class for one field of one record.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="record">The record, such as <c>result (run 'r1', case ordinal 3, repetition 0)</c>.</param>
    /// <param name="field">The field, such as <c>output</c> or <c>input.messages[1]</c>.</param>
    /// <param name="keyId">The key id stored with the value, if it could be read.</param>
    /// <param name="innerException">The underlying failure.</param>
    public FieldEncryptionException(string message, string record, string field, string? keyId, Exception? innerException = null)
        : base(message, innerException)
    {
        Record = record;
        Field = field;
        KeyId = keyId;
    }

    /// <summary>Gets the record whose field failed, or <see langword="null"/>.</summary>
    public string? Record { get; }

    /// <summary>Gets the field that failed, or <see langword="null"/>.</summary>
    public string? Field { get; }

    /// <summary>Gets the key id stored with the value, or <see langword="null"/>.</summary>
    public string? KeyId { get; }
}
