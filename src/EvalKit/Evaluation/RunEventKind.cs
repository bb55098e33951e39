namespace EvalKit.Evaluation;

/// <summary>What happened to a run.</summary>
public enum RunEventKind
{
    /// <summary>The run started (or was resumed).</summary>
    Started,

    /// <summary>The run completed; its summary is final.</summary>
    Completed,

    /// <summary>The run stopped on an error; it can be resumed.</summary>
    Failed,

    /// <summary>The run was cancelled; it can be resumed.</summary>
    Cancelled,
}
