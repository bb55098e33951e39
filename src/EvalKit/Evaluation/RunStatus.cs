namespace EvalKit.Evaluation;

/// <summary>The lifecycle state of an evaluation run.</summary>
public enum RunStatus
{
    /// <summary>Created, not yet started.</summary>
    Pending,

    /// <summary>Cases are being evaluated.</summary>
    Running,

    /// <summary>Every case was evaluated; the summary is final.</summary>
    Completed,

    /// <summary>The run stopped on an error it could not record per case (such as storage failing); it can be resumed.</summary>
    Failed,

    /// <summary>The run was cancelled; it can be resumed.</summary>
    Cancelled,
}
