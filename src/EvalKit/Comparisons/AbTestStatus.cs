namespace EvalKit.Comparisons;

/// <summary>The lifecycle state of an A/B test.</summary>
public enum AbTestStatus
{
    /// <summary>Created, not yet executed.</summary>
    Created,

    /// <summary>The models' runs are being evaluated.</summary>
    Running,

    /// <summary>Every run completed; results can be computed.</summary>
    Completed,

    /// <summary>Execution was cancelled; executing again resumes the unfinished runs.</summary>
    Cancelled,

    /// <summary>Execution stopped on an error; executing again resumes the unfinished runs.</summary>
    Failed,
}
