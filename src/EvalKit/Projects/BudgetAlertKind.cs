namespace EvalKit.Projects;

/// <summary>What a <see cref="BudgetAlert"/> reports.</summary>
public enum BudgetAlertKind
{
    /// <summary>The project's spending reached its soft limit (reported once per run that starts, resumes or goes on above it).</summary>
    SoftLimitReached,

    /// <summary>The hard limit refused a run before it started, or stopped it before a call (see <see cref="BudgetExceededException"/>).</summary>
    HardLimitReached,
}
