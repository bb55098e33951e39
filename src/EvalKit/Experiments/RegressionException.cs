namespace EvalKit.Experiments;

/// <summary>
/// Raised by <see cref="IExperimentService.EnsureNoRegressionAsync"/> when a candidate run fails its regression gate.
/// The message is the gate's readable report, so a failing CI test shows why.
/// </summary>
public sealed class RegressionException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="RegressionException"/> class.</summary>
    public RegressionException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RegressionException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public RegressionException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RegressionException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying failure.</param>
    public RegressionException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="RegressionException"/> class for a failed gate.</summary>
    /// <param name="result">The gate's result; its report becomes the message.</param>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is <see langword="null"/>.</exception>
    public RegressionException(RegressionGateResult result)
        : base((result ?? throw new ArgumentNullException(nameof(result))).Report)
    {
        Result = result;
    }

    /// <summary>Gets the gate's result, when the exception was raised by a gate.</summary>
    public RegressionGateResult? Result { get; }
}
