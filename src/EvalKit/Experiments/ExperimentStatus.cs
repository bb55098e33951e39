namespace EvalKit.Experiments;

/// <summary>The lifecycle state of an experiment.</summary>
public enum ExperimentStatus
{
    /// <summary>Created, not yet executed.</summary>
    Created,

    /// <summary>The variants' runs are being evaluated.</summary>
    Running,

    /// <summary>Every variant's run completed.</summary>
    Completed,

    /// <summary>Execution was cancelled; executing again resumes the unfinished runs.</summary>
    Cancelled,

    /// <summary>A variant's run could not complete; executing again resumes the unfinished runs.</summary>
    Failed,
}
