namespace EvalKit.Reporting;

/// <summary>
/// Raised when a JSON export cannot be imported: malformed JSON, a missing or mistyped member, records that contradict
/// each other, or records that conflict with what the store holds. Nothing was written. The message names the JSON
/// path (and the line, for syntax errors).
/// </summary>
public sealed class ImportException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="ImportException"/> class.</summary>
    public ImportException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ImportException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public ImportException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ImportException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying failure.</param>
    public ImportException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="ImportException"/> class for a place in the document.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="jsonPath">The JSON path of the culprit, such as <c>$.runs[2].results[5].caseOrdinal</c>.</param>
    /// <param name="lineNumber">The 1-based line, when known.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public ImportException(string message, string? jsonPath, long? lineNumber, Exception? innerException = null)
        : base(Describe(message, jsonPath, lineNumber), innerException)
    {
        JsonPath = jsonPath;
        LineNumber = lineNumber;
    }

    /// <summary>Gets the JSON path of the culprit, when known.</summary>
    public string? JsonPath { get; }

    /// <summary>Gets the 1-based line of the culprit, when known.</summary>
    public long? LineNumber { get; }

    private static string Describe(string message, string? jsonPath, long? lineNumber)
    {
        var where = (jsonPath, lineNumber) switch
        {
            (not null, not null) => FormattableString.Invariant($" (at {jsonPath}, line {lineNumber})"),
            (not null, null) => $" (at {jsonPath})",
            (null, not null) => FormattableString.Invariant($" (at line {lineNumber})"),
            _ => string.Empty,
        };
        return "The EvalKit export cannot be imported" + where + ": " + message;
    }
}
