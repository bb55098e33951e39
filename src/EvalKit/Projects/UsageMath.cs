using EvalKit.Evaluation;
using EvalKit.Scoring;
using EvalKit.Storage;

namespace EvalKit.Projects;

/// <summary>
/// How one stored result counts in <see cref="UsageTotals"/>: the in-memory store aggregates with it, and the SQL of the
/// other providers spells out the same rules.
/// </summary>
internal static class UsageMath
{
    /// <summary>The usage of a result's model call.</summary>
    /// <param name="result">The result.</param>
    /// <returns>Its totals.</returns>
    public static UsageTotals Evaluation(CaseResult result)
    {
        if (result.Error is not null)
        {
            return new UsageTotals { FailedCalls = 1 };
        }

        if (result.Cached)
        {
            return new UsageTotals { CachedCalls = 1 };
        }

        var noUsage = result.InputTokens is null && result.OutputTokens is null;
        return new UsageTotals
        {
            Calls = 1,
            InputTokens = result.InputTokens ?? 0,
            OutputTokens = result.OutputTokens ?? 0,
            Cost = result.Cost ?? 0,
            UnknownCostCalls = result.Cost is null ? 1 : 0,
            CallsWithoutUsage = noUsage ? 1 : 0,
        };
    }

    /// <summary>The usage one score entry recorded.</summary>
    /// <param name="usage">The entry.</param>
    /// <returns>Its totals.</returns>
    public static UsageTotals Scorer(ScoreUsage usage) => new()
    {
        Calls = usage.Calls,
        InputTokens = usage.InputTokens ?? 0,
        OutputTokens = usage.OutputTokens ?? 0,
        Cost = usage.Cost ?? 0,
        UnknownCostCalls = usage.Cost is null ? usage.Calls : 0,
        CallsWithoutUsage = usage.InputTokens is null && usage.OutputTokens is null ? usage.Calls : 0,
    };

    /// <summary>Aggregates results per run (and per UTC day), as <see cref="IUsageStorage.AggregateAsync"/> does.</summary>
    /// <param name="results">The results, of any runs.</param>
    /// <param name="byDay">Whether to split by day.</param>
    /// <returns>The rows.</returns>
    public static List<RunUsage> Aggregate(IEnumerable<CaseResult> results, bool byDay)
    {
        var rows = new Dictionary<(string Run, DateOnly? Day), RunUsage>();
        foreach (var result in results)
        {
            var key = (result.RunId, byDay ? DateOnly.FromDateTime(result.CompletedAt.UtcDateTime) : (DateOnly?)null);
            var row = rows.GetValueOrDefault(key) ?? new RunUsage { RunId = result.RunId, Day = key.Item2 };
            row = row with { Evaluation = row.Evaluation + Evaluation(result) };
            foreach (var score in result.Scores)
            {
                foreach (var usage in score.Usage ?? [])
                {
                    row = usage.Kind == ScoreUsageKind.Embedding
                        ? row with { Embedding = row.Embedding + Scorer(usage) }
                        : row with { Judge = row.Judge + Scorer(usage) };
                }
            }

            rows[key] = row;
        }

        return [.. rows.Values];
    }
}
