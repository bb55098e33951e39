using System.Globalization;
using System.Text;

namespace EvalKit.Datasets;

/// <summary>
/// Raised when a dataset is malformed: a bad line, a missing or mistyped field, a duplicate case id, no cases at all.
/// The message names the source (file), the line and the field. An import that raises it writes nothing.
/// </summary>
public sealed class DatasetFormatException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="DatasetFormatException"/> class.</summary>
    public DatasetFormatException()
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetFormatException"/> class with a message.</summary>
    /// <param name="message">The message.</param>
    public DatasetFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetFormatException"/> class with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The underlying failure.</param>
    public DatasetFormatException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="DatasetFormatException"/> class that locates the problem.</summary>
    /// <param name="problem">What is wrong.</param>
    /// <param name="source">The file path or stream name, if known.</param>
    /// <param name="line">The 1-based line, if known.</param>
    /// <param name="field">The field, if the problem is in one.</param>
    /// <param name="column">The 1-based column or byte position in the line, if known.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public DatasetFormatException(string problem, string? source, long? line, string? field, long? column = null, Exception? innerException = null)
        : base(Describe(problem, source, line, field, column), innerException)
    {
        Problem = problem;
        Source = source;
        Line = line;
        Field = field;
        Column = column;
    }

    /// <summary>Gets what is wrong, without the location.</summary>
    public string? Problem { get; }

    /// <summary>Gets the file path or stream name, if known.</summary>
    public new string? Source { get; }

    /// <summary>Gets the 1-based line, if known.</summary>
    public long? Line { get; }

    /// <summary>Gets the 1-based column (or byte position within the line), if known.</summary>
    public long? Column { get; }

    /// <summary>Gets the field that is wrong, if the problem is in one.</summary>
    public string? Field { get; }

    private static string Describe(string problem, string? source, long? line, string? field, long? column)
    {
        var text = new StringBuilder();
        text.Append(source ?? "dataset");
        if (line is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", line {line}");
        }

        if (column is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", column {column}");
        }

        if (field is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $", field '{field}'");
        }

        text.Append(": ").Append(problem);
        return text.ToString();
    }
}
