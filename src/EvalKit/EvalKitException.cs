namespace EvalKit;

/// <summary>The base of every domain failure that EvalKit raises.</summary>
public class EvalKitException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EvalKitException"/> class.</summary>
    public EvalKitException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvalKitException"/> class with a message.</summary>
    /// <param name="message">What went wrong, naming the culprit.</param>
    public EvalKitException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvalKitException"/> class with a message and a cause.</summary>
    /// <param name="message">What went wrong, naming the culprit.</param>
    /// <param name="innerException">The underlying failure.</param>
    public EvalKitException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }
}
