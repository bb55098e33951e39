using System.Globalization;
using EvalKit.Comparisons;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// Puts the outcome of a two-model A/B test into one sentence, built only from the results: who beats whom, by how many
/// points (the mean difference of a [0, 1] metric times 100) with its confidence interval, the test and its adjusted
/// p-value; or, without a significant difference, the same figures and the sample size that the library's power analysis
/// says would detect the observed difference.
/// </summary>
public static class AbTestVerdict
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Describes the results of an A/B test of two models.</summary>
    /// <param name="results">The results; their first pair is described.</param>
    /// <returns>The sentence, such as "local/a beats local/b on exact_match by 11.9 points [95% CI 2.8, 21.0], McNemar exact
    /// p = 0.0391 (Holm-adjusted; A right and B wrong on 8 cases, the reverse on 1, of 59 paired cases): a real difference."</returns>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The results compare no pair.</exception>
    public static string Describe(ComparisonResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        if (results.Pairs.Count == 0)
        {
            throw new ArgumentException("The results compare no pair of models.", nameof(results));
        }

        var first = results.Pairs[0];

        // Orient the pair so that A is the winner, or else the model with the higher mean.
        var pair = results.Winner == first.ModelB || (results.Winner is null && first.MeanDifference < 0)
            ? results.GetPair(first.ModelB, first.ModelA)
            : first;
        var confidence = (1 - results.Alpha).ToString("0.##%", Invariant);
        var adjustment = results.Correction == PValueCorrection.None ? "unadjusted" : $"{CorrectionName(results.Correction)}-adjusted";
        var interval = double.IsFinite(pair.ConfidenceInterval.Lower) && double.IsFinite(pair.ConfidenceInterval.Upper)
            ? string.Create(Invariant, $" [{confidence} CI {Points(pair.ConfidenceInterval.Lower)}, {Points(pair.ConfidenceInterval.Upper)}]")
            : string.Empty;
        var evidence = string.Create(Invariant, $"{pair.TestName} p = {FormatP(pair.AdjustedPValue)} ({adjustment}{Discordance(results, pair)})");

        if (results.Winner is not null && pair.Significant)
        {
            return string.Create(
                Invariant,
                $"{pair.ModelA} beats {pair.ModelB} on {results.Metric} by {Points(pair.MeanDifference)} points{interval}, {evidence}: a real difference.");
        }

        if (pair.MeanDifference == 0)
        {
            return string.Create(
                Invariant,
                $"no significant difference: {pair.ModelA} and {pair.ModelB} score the same on {results.Metric}{interval}, {evidence}; the observed difference is zero, so no number of cases would detect it.");
        }

        var power = results.RequiredSampleSize ?? pair.RequiredSampleSize;
        var sampleSize = power is { } n
            ? string.Create(Invariant, $"you would need about {n:N0} cases to detect {Points(pair.MeanDifference)} points with 80% power (this test had {pair.CountA:N0})")
            : "the power analysis gives no sample size for this difference";
        return string.Create(
            Invariant,
            $"no significant difference: {pair.ModelA} leads {pair.ModelB} on {results.Metric} by {Points(pair.MeanDifference)} points{interval}, but {evidence} is not below alpha {results.Alpha}; {sampleSize}.");
    }

    /// <summary>Formats a difference of a [0, 1] metric in points (times 100), with one decimal.</summary>
    /// <param name="value">The difference.</param>
    /// <returns>The text, such as <c>11.9</c>.</returns>
    public static string Points(double value) => (value * 100).ToString("0.0", Invariant);

    /// <summary>Formats a p-value: four decimals, or two significant digits in scientific notation below 0.0001.</summary>
    /// <param name="p">The p-value.</param>
    /// <returns>The text, such as <c>0.0391</c> or <c>3.1e-07</c>.</returns>
    public static string FormatP(double p) => p < 0.0001 ? p.ToString("0.0e-00", Invariant) : p.ToString("0.0000", Invariant);

    private static string Discordance(ComparisonResults results, PairComparison pair) =>
        results.Design != AbTestDesign.Paired
            ? string.Create(Invariant, $"; {pair.CountA} and {pair.CountB} cases")
            : pair is { OnlyAPassed: { } onlyA, OnlyBPassed: { } onlyB }
                ? string.Create(Invariant, $"; {pair.ModelA} right and {pair.ModelB} wrong on {onlyA} cases, the reverse on {onlyB}, of {pair.CountA} paired cases")
                : string.Create(Invariant, $"; {pair.CountA} paired cases");

    /// <summary>Names a multiplicity correction as reports do.</summary>
    /// <param name="correction">The correction.</param>
    /// <returns>The name, such as <c>Holm</c>.</returns>
    public static string CorrectionName(PValueCorrection correction) => correction switch
    {
        PValueCorrection.Holm => "Holm",
        PValueCorrection.BenjaminiHochberg => "Benjamini-Hochberg",
        PValueCorrection.Bonferroni => "Bonferroni",
        _ => correction.ToString(),
    };
}
