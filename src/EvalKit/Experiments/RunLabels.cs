using EvalKit.Evaluation;

namespace EvalKit.Experiments;

/// <summary>Gives every run of a comparison or report a distinct, readable label.</summary>
internal static class RunLabels
{
    public static List<string> For(IReadOnlyList<EvaluationRun> runs, IReadOnlyDictionary<string, string>? given)
    {
        var repeated = runs.GroupBy(r => r.ModelId, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var labels = new List<string>(runs.Count);
        var taken = new HashSet<string>(StringComparer.Ordinal);
        foreach (var run in runs)
        {
            var label = given is not null && given.TryGetValue(run.Id, out var l) && !string.IsNullOrWhiteSpace(l)
                ? l
                : repeated.Contains(run.ModelId) ? $"{run.ModelId} ({Short(run.Id)})" : run.ModelId;
            var unique = label;
            for (var i = 2; !taken.Add(unique); i++)
            {
                unique = FormattableString.Invariant($"{label} #{i}");
            }

            labels.Add(unique);
        }

        return labels;
    }

    public static string Short(string runId) => runId.Length > 8 ? runId[^8..] : runId;
}
