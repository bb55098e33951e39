namespace EvalKit.Selection;

/// <summary>No model satisfies a selection request; <see cref="Explanation"/> says why each candidate was excluded.</summary>
public sealed class NoEligibleModelException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="NoEligibleModelException"/> class.</summary>
    public NoEligibleModelException()
        : base("No model satisfies the selection request.")
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoEligibleModelException"/> class with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public NoEligibleModelException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoEligibleModelException"/> class with a message and a cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying failure.</param>
    public NoEligibleModelException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="NoEligibleModelException"/> class from an explanation.</summary>
    /// <param name="explanation">The explanation of the decision that found no eligible model.</param>
    public NoEligibleModelException(SelectionExplanation explanation)
        : base(Summarize(explanation))
    {
        Explanation = explanation;
    }

    /// <summary>Gets the explanation of the decision, when known.</summary>
    public SelectionExplanation? Explanation { get; }

    private static string Summarize(SelectionExplanation explanation)
    {
        ArgumentNullException.ThrowIfNull(explanation);
        if (explanation.Rejected.Count == 0)
        {
            return "No model satisfies the selection request: no model is registered" + (explanation.Request.CandidateModelIds is null ? "." : " among the candidates.");
        }

        const int Shown = 5;
        var reasons = string.Join("; ", explanation.Rejected.Take(Shown).Select(r => $"{r.ModelId}: {r.Message}"));
        var more = explanation.Rejected.Count > Shown ? $"; and {explanation.Rejected.Count - Shown} more" : string.Empty;
        return $"No model satisfies the selection request ({explanation.Rejected.Count} rejected): {reasons}{more}.";
    }
}
