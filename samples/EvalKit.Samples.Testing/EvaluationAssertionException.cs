namespace EvalKit.Samples.Testing;

/// <summary>Raised by <see cref="EvalAssert"/> when a score misses its bar; the message says by how much and where.</summary>
public sealed class EvaluationAssertionException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="EvaluationAssertionException"/> class.</summary>
    public EvaluationAssertionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationAssertionException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public EvaluationAssertionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationAssertionException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public EvaluationAssertionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="EvaluationAssertionException"/> class for an estimate that missed its bar.</summary>
    /// <param name="message">The message.</param>
    /// <param name="estimate">The estimate.</param>
    /// <param name="required">The bar the interval's lower bound had to reach.</param>
    public EvaluationAssertionException(string message, ScoreEstimate estimate, double required)
        : base(message)
    {
        Estimate = estimate;
        Required = required;
    }

    /// <summary>Gets the estimate that missed the bar, when raised by <see cref="EvalAssert"/>.</summary>
    public ScoreEstimate? Estimate { get; }

    /// <summary>Gets the bar the lower bound had to reach, when raised by <see cref="EvalAssert"/>.</summary>
    public double? Required { get; }
}
