namespace EvalKit;

/// <summary>Raised when the store cannot be opened, migrated, read or written. The provider's own exception is the <see cref="Exception.InnerException"/>.</summary>
public sealed class StorageException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="StorageException"/> class.</summary>
    public StorageException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StorageException"/> class with a message.</summary>
    /// <param name="message">What failed and where.</param>
    public StorageException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="StorageException"/> class with a message and the provider's exception.</summary>
    /// <param name="message">What failed and where.</param>
    /// <param name="innerException">The provider's exception.</param>
    public StorageException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
