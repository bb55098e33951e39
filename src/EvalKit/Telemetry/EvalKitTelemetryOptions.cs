namespace EvalKit.Telemetry;

/// <summary>What EvalKit's activities and log messages may contain.</summary>
public sealed class EvalKitTelemetryOptions
{
    /// <summary>
    /// Gets or sets whether prompts and answers go into telemetry: the <c>evalkit.case</c> activity then carries the
    /// <c>gen_ai.input.messages</c> and <c>gen_ai.output.messages</c> tags (JSON, as in the OpenTelemetry GenAI semantic
    /// conventions), and a Trace-level log message (event <see cref="ContentEventId"/>) gives each case's input and output.
    /// </summary>
    /// <value>The default value is <see langword="false"/>: no case input, chat turn, reference or answer reaches an activity, a metric or a log message.</value>
    /// <remarks>Turn it on only where the telemetry back end may hold the data (a developer's machine, a test run); prompts and answers often contain personal data.</remarks>
    public bool IncludeContent { get; set; }

    /// <summary>The event id of the Trace-level log message that carries a case's input and output when <see cref="IncludeContent"/> is on.</summary>
    public const int ContentEventId = 1050;
}
