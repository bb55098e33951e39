namespace EvalKit.Projects;

/// <summary>The length of a period in a <see cref="CostReport"/> grouped by period; periods are UTC calendar periods.</summary>
public enum CostPeriod
{
    /// <summary>A UTC day.</summary>
    Day,

    /// <summary>An ISO week: Monday to Sunday, UTC.</summary>
    Week,

    /// <summary>A UTC calendar month.</summary>
    Month,
}
