namespace EvalKit;

/// <summary>
/// Raised when a record (such as a model descriptor) breaks EvalKit's rules. It lists every problem at once, each with the
/// field at fault, so a caller can fix them all in one go.
/// </summary>
public sealed class ValidationException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="ValidationException"/> class.</summary>
    public ValidationException()
    {
        Errors = [];
    }

    /// <summary>Initializes a new instance of the <see cref="ValidationException"/> class with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ValidationException(string message)
        : base(message)
    {
        Errors = [];
    }

    /// <summary>Initializes a new instance of the <see cref="ValidationException"/> class with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ValidationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Errors = [];
    }

    /// <summary>Initializes a new instance of the <see cref="ValidationException"/> class for a record and its problems.</summary>
    /// <param name="subject">What was validated, such as <c>"Model 'openai/gpt-4o'"</c>.</param>
    /// <param name="errors">Every problem found; at least one.</param>
    /// <exception cref="ArgumentException"><paramref name="errors"/> is empty.</exception>
    public ValidationException(string subject, IEnumerable<ValidationError> errors)
        : this(subject, Materialize(errors))
    {
    }

    private ValidationException(string subject, ValidationError[] errors)
        : base(Describe(subject, errors))
    {
        Subject = subject;
        Errors = errors;
    }

    /// <summary>Gets what was validated, such as <c>"Model 'openai/gpt-4o'"</c>, or <see langword="null"/>.</summary>
    public string? Subject { get; }

    /// <summary>Gets every problem found, in the order the fields were checked.</summary>
    public IReadOnlyList<ValidationError> Errors { get; }

    private static ValidationError[] Materialize(IEnumerable<ValidationError> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        ValidationError[] list = [.. errors];
        if (list.Length == 0)
        {
            throw new ArgumentException("A validation exception needs at least one error.", nameof(errors));
        }

        return list;
    }

    private static string Describe(string subject, ValidationError[] errors) =>
        $"{subject} is invalid ({errors.Length} problem{(errors.Length == 1 ? string.Empty : "s")}): "
        + string.Join(" ", errors.Select(e => $"{e.Field}: {e.Message}"));
}
