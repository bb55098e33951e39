using System.Globalization;
using System.Text;
using EvalKit.Evaluation;
using EvalKit.Statistics;

namespace EvalKit.Samples.Testing;

/// <summary>
/// Assertions for unit-test style evaluations: a score must reach a bar <em>with confidence</em>, that is the lower bound
/// of its confidence interval must, not just the mean. A failure reads
/// <c>exact_match 0.72 [0.65, 0.79] is below the required 0.80 (n=200)</c>, followed by the model, the run and the cases
/// that missed.
/// </summary>
public static class EvalAssert
{
    /// <summary>The number of missed cases a failure message lists.</summary>
    public const int ListedCases = 10;

    /// <summary>Asserts that the lower bound of a metric's confidence interval over a stored run reaches a bar.</summary>
    /// <param name="engine">The evaluation engine that ran the run.</param>
    /// <param name="runId">The run.</param>
    /// <param name="metric">The metric, such as <c>exact_match</c>.</param>
    /// <param name="required">The bar, in the metric's units.</param>
    /// <param name="confidence">The confidence level of the interval, in (0, 1).</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The estimate, when it passes.</returns>
    /// <exception cref="EvaluationAssertionException">The lower bound is below <paramref name="required"/>.</exception>
    /// <exception cref="ArgumentException">The run does not score <paramref name="metric"/>.</exception>
    /// <exception cref="InvalidOperationException">The run has no results.</exception>
    public static async Task<ScoreEstimate> LowerBoundAtLeastAsync(IEvaluationEngine engine, string runId, string metric, double required, double confidence = 0.95, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(engine);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        var results = await engine.GetResultsAsync(runId, cancellationToken);
        return LowerBoundAtLeast(results, metric, required, confidence);
    }

    /// <summary>Asserts that the lower bound of a metric's confidence interval over a run's results reaches a bar.</summary>
    /// <param name="results">The run's results.</param>
    /// <param name="metric">The metric, such as <c>exact_match</c>.</param>
    /// <param name="required">The bar, in the metric's units.</param>
    /// <param name="confidence">The confidence level of the interval, in (0, 1).</param>
    /// <returns>The estimate, when it passes.</returns>
    /// <exception cref="EvaluationAssertionException">The lower bound is below <paramref name="required"/>.</exception>
    /// <exception cref="ArgumentException">The run does not score <paramref name="metric"/>.</exception>
    /// <exception cref="InvalidOperationException">The run has no results.</exception>
    public static ScoreEstimate LowerBoundAtLeast(EvaluationResults results, string metric, double required, double confidence = 0.95)
    {
        var estimate = Estimate(results, metric, confidence);
        return estimate.Interval.Lower >= required ? estimate : throw new EvaluationAssertionException(Describe(estimate, required), estimate, required);
    }

    /// <summary>
    /// Estimates a metric over a run's cases: each case's value is the mean over its repetitions, a failed call or a score
    /// that could not be computed counting as 0. Pass/fail metrics get the Wilson interval, others Student's t.
    /// </summary>
    /// <param name="results">The run's results.</param>
    /// <param name="metric">The metric.</param>
    /// <param name="confidence">The confidence level of the interval, in (0, 1).</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentException">The run does not score <paramref name="metric"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="confidence"/> is outside (0, 1).</exception>
    /// <exception cref="InvalidOperationException">The run has no results.</exception>
    public static ScoreEstimate Estimate(EvaluationResults results, string metric, double confidence = 0.95)
    {
        ArgumentNullException.ThrowIfNull(results);
        ArgumentException.ThrowIfNullOrWhiteSpace(metric);
        if (!(confidence is > 0 and < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "The confidence level must lie in (0, 1).");
        }

        var run = results.Run;
        if (!run.Scorers.Contains(metric, StringComparer.Ordinal))
        {
            throw new ArgumentException($"Run {run.Id} of {run.ModelId} does not score '{metric}'; it scores {string.Join(", ", run.Scorers)}.", nameof(metric));
        }

        var cases = results.Results
            .GroupBy(r => r.CaseOrdinal)
            .OrderBy(g => g.Key)
            .Select(g => (Id: g.First().CaseId, Value: g.Average(r => r.Succeeded && r.GetScore(metric)?.Value is { } v ? v : 0)))
            .ToList();
        if (cases.Count == 0)
        {
            throw new InvalidOperationException($"Run {run.Id} of {run.ModelId} has no results to assert on ({(results.ResultsPurged ? "its results were purged" : "it evaluated no case")}).");
        }

        var values = cases.Select(c => c.Value).ToArray();
        var binary = values.All(v => v is 0 or 1);
        var successes = values.Count(v => v == 1);
        var interval = binary ? ConfidenceIntervals.Wilson(successes, values.Length, confidence)
            : values.Length > 1 ? ConfidenceIntervals.MeanT(values, confidence)
            : new Interval(double.NegativeInfinity, double.PositiveInfinity);
        return new ScoreEstimate
        {
            Metric = metric,
            RunId = run.Id,
            ModelId = run.ModelId,
            Mean = values.Average(),
            Interval = interval,
            Confidence = confidence,
            Method = binary ? "Wilson" : "Student t",
            N = values.Length,
            MissedCaseIds = [.. cases.Where(c => c.Value < 1).Select(c => c.Id)],
        };
    }

    private static string Describe(ScoreEstimate e, double required)
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"{e.Metric} {e.Mean:0.00} [{e.Interval.Lower:0.00}, {e.Interval.Upper:0.00}] ");
        text.Append(e.Mean < required
            ? string.Create(c, $"is below the required {required:0.00} (n={e.N})")
            : string.Create(c, $"is not confidently above the required {required:0.00} (n={e.N}): the lower bound of its {e.Confidence:0%} interval is {e.Interval.Lower:0.000}"));
        text.AppendLine();
        text.Append(c, $"  model {e.ModelId}, run {e.RunId}; {e.Confidence:0%} {e.Method} interval over {e.N} cases").AppendLine();
        text.Append(c, $"  cases that missed ({e.MissedCaseIds.Count}): {string.Join(", ", e.MissedCaseIds.Take(ListedCases))}");
        if (e.MissedCaseIds.Count > ListedCases)
        {
            text.Append(c, $" and {e.MissedCaseIds.Count - ListedCases} more");
        }

        return text.ToString();
    }
}
