namespace EvalKit.Projects;

/// <summary>The period a <see cref="ProjectBudget"/> limits.</summary>
public enum BudgetPeriod
{
    /// <summary>The limits apply to everything the project ever spent.</summary>
    Total,

    /// <summary>The limits apply to each calendar month (UTC); spending starts from zero on the first of the month.</summary>
    Monthly,
}
