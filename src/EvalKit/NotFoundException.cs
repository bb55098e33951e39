namespace EvalKit;

/// <summary>Raised when a record that an operation names does not exist in the store.</summary>
public class NotFoundException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="NotFoundException"/> class.</summary>
    public NotFoundException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NotFoundException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public NotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NotFoundException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying failure.</param>
    public NotFoundException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NotFoundException"/> class for a kind of record and its id.</summary>
    /// <param name="kind">The kind of record, such as "model" or "dataset".</param>
    /// <param name="id">The id that was not found.</param>
    public NotFoundException(string kind, string id)
        : base($"No {kind} with id '{id}' exists in the store.")
    {
        Kind = kind;
        Id = id;
    }

    /// <summary>Gets the kind of record that was not found, such as "model".</summary>
    public string? Kind { get; }

    /// <summary>Gets the id that was not found.</summary>
    public string? Id { get; }
}
