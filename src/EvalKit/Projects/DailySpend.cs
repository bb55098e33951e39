namespace EvalKit.Projects;

/// <summary>What a project spent on one UTC day.</summary>
/// <param name="Day">The day.</param>
/// <param name="Cost">The known cost of every kind of call.</param>
/// <param name="UnknownCostCalls">The calls whose cost is unknown.</param>
/// <param name="Calls">The calls of every kind (evaluation, judge, embedding).</param>
public sealed record DailySpend(DateOnly Day, decimal Cost, long UnknownCostCalls, long Calls);
