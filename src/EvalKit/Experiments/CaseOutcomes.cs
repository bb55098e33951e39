using EvalKit.Evaluation;

namespace EvalKit.Experiments;

/// <summary>
/// Per-case outcomes of one metric in one run: the mean over the case's repetitions whose call succeeded and whose score
/// has a finite value; a case passes when that mean reaches the threshold. Shared by comparisons, the gate and reports.
/// </summary>
internal static class CaseOutcomes
{
    public static SortedDictionary<long, Outcome> Build(IEnumerable<CaseResult> results, string metric)
    {
        var sums = new SortedDictionary<long, (string CaseId, double Sum, int Count, bool AnySucceeded)>();
        foreach (var result in results)
        {
            sums.TryGetValue(result.CaseOrdinal, out var entry);
            entry.CaseId ??= result.CaseId;
            if (result.Succeeded)
            {
                entry.AnySucceeded = true;
                if (result.GetScore(metric)?.Value is { } v && double.IsFinite(v))
                {
                    entry.Sum += v;
                    entry.Count++;
                }
            }

            sums[result.CaseOrdinal] = entry;
        }

        var outcomes = new SortedDictionary<long, Outcome>();
        foreach (var (ordinal, entry) in sums)
        {
            outcomes[ordinal] = new Outcome(entry.CaseId, entry.Count > 0 ? entry.Sum / entry.Count : null, !entry.AnySucceeded);
        }

        return outcomes;
    }

    public static bool Passes(double? value, double threshold) => value is { } v && v >= threshold;

    public static RunPairFlips Flips(string labelA, SortedDictionary<long, Outcome> a, string labelB, SortedDictionary<long, Outcome> b, double threshold)
    {
        var passToFail = new List<FlippedCase>();
        var failToPass = new List<FlippedCase>();
        foreach (var (ordinal, outcomeA) in a)
        {
            if (!b.TryGetValue(ordinal, out var outcomeB))
            {
                continue;
            }

            var passA = Passes(outcomeA.Value, threshold);
            var passB = Passes(outcomeB.Value, threshold);
            if (passA != passB)
            {
                (passA ? passToFail : failToPass).Add(new FlippedCase(ordinal, outcomeA.CaseId, outcomeA.Value, outcomeB.Value));
            }
        }

        return new RunPairFlips { LabelA = labelA, LabelB = labelB, PassToFail = passToFail, FailToPass = failToPass };
    }

    /// <summary>A case's outcome.</summary>
    /// <param name="CaseId">The case id.</param>
    /// <param name="Value">The mean over successful repetitions with a value, or <see langword="null"/>.</param>
    /// <param name="Errored">Whether every call of the case failed.</param>
    internal readonly record struct Outcome(string CaseId, double? Value, bool Errored);
}
