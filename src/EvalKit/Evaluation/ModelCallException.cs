namespace EvalKit.Evaluation;

/// <summary>
/// Thrown by a model client (or an adapter around one) to tell the engine how a call failed, so that it is
/// categorized, retried (or not) and recorded precisely.
/// </summary>
public sealed class ModelCallException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="ModelCallException"/> class.</summary>
    public ModelCallException()
        : this(ErrorCategory.Transient, "The model call failed.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelCallException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public ModelCallException(string message)
        : this(ErrorCategory.Transient, message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ModelCallException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ModelCallException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Category = ErrorCategory.Transient;
    }

    /// <summary>Initializes a new instance of the <see cref="ModelCallException"/> class.</summary>
    /// <param name="category">The category of the failure.</param>
    /// <param name="message">The message, without secrets.</param>
    /// <param name="retryAfter">How long the provider asked to wait before retrying, if it said.</param>
    /// <param name="innerException">The cause.</param>
    public ModelCallException(ErrorCategory category, string message, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Category = category;
        RetryAfter = retryAfter;
    }

    /// <summary>Gets the category of the failure.</summary>
    public ErrorCategory Category { get; }

    /// <summary>Gets how long the provider asked to wait before retrying, if it said.</summary>
    public TimeSpan? RetryAfter { get; }
}
