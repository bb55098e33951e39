using System.Globalization;
using System.Text;

namespace EvalKit.Scoring;

/// <summary>A BLEU score with its sufficient statistics, as sacrebleu's <c>BLEUScore</c>.</summary>
public sealed record BleuScore
{
    /// <summary>Creates a score.</summary>
    /// <param name="score">The BLEU score, 0 to 100.</param>
    /// <param name="counts">Matched n-grams per order, clipped by the reference counts.</param>
    /// <param name="totals">Hypothesis n-grams per order.</param>
    /// <param name="precisions">Smoothed n-gram precisions per order, 0 to 100.</param>
    /// <param name="brevityPenalty">The brevity penalty, 0 to 1.</param>
    /// <param name="systemLength">Total hypothesis length in tokens.</param>
    /// <param name="referenceLength">Total closest-reference length in tokens.</param>
    /// <exception cref="ArgumentNullException">A list is <see langword="null"/>.</exception>
    public BleuScore(
        double score,
        IReadOnlyList<int> counts,
        IReadOnlyList<int> totals,
        IReadOnlyList<double> precisions,
        double brevityPenalty,
        int systemLength,
        int referenceLength)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(precisions);
        Score = score;
        Counts = counts;
        Totals = totals;
        Precisions = precisions;
        BrevityPenalty = brevityPenalty;
        SystemLength = systemLength;
        ReferenceLength = referenceLength;
    }

    /// <summary>The BLEU score, 0 to 100.</summary>
    public double Score { get; init; }

    /// <summary>
    /// Matched (clipped) n-gram counts, one per order from 1 to the maximum order. These are the raw counts:
    /// with <see cref="BleuSmoothing.AddK"/> sacrebleu reports them with k added for orders 2 and above.
    /// </summary>
    public IReadOnlyList<int> Counts { get; init; }

    /// <summary>Hypothesis n-gram counts, one per order (raw, as <see cref="Counts"/>).</summary>
    public IReadOnlyList<int> Totals { get; init; }

    /// <summary>Smoothed n-gram precisions in percent, one per order; 0 for orders past an order without n-grams.</summary>
    public IReadOnlyList<double> Precisions { get; init; }

    /// <summary>The brevity penalty exp(1 - r/c) when the hypotheses are shorter than the references, else 1.</summary>
    public double BrevityPenalty { get; init; }

    /// <summary>Total hypothesis length in tokens.</summary>
    public int SystemLength { get; init; }

    /// <summary>Total reference length in tokens, taking for each segment the reference closest in length (shorter on ties).</summary>
    public int ReferenceLength { get; init; }

    /// <summary>Hypothesis length over reference length, 0 when the reference length is 0 (sacrebleu's <c>ratio</c>).</summary>
    public double LengthRatio => ReferenceLength == 0 ? 0 : (double)SystemLength / ReferenceLength;

    /// <inheritdoc />
    public bool Equals(BleuScore? other) =>
        other is not null
        && Score.Equals(other.Score)
        && BrevityPenalty.Equals(other.BrevityPenalty)
        && SystemLength == other.SystemLength
        && ReferenceLength == other.ReferenceLength
        && Counts.SequenceEqual(other.Counts)
        && Totals.SequenceEqual(other.Totals)
        && Precisions.SequenceEqual(other.Precisions);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Score);
        hash.Add(BrevityPenalty);
        hash.Add(SystemLength);
        hash.Add(ReferenceLength);
        foreach (var count in Counts)
        {
            hash.Add(count);
        }

        return hash.ToHashCode();
    }

    /// <summary>sacrebleu's verbose form, e.g. <c>BLEU = 48.53 82.4/50.0/30.0/20.0 (BP = 1.000 ratio = 1.000 hyp_len = 17 ref_len = 17)</c>.</summary>
    /// <returns>The formatted score, with the invariant culture.</returns>
    public override string ToString()
    {
        var builder = new StringBuilder();
        var culture = CultureInfo.InvariantCulture;
        builder.Append(culture, $"BLEU = {Score:F2} ");
        for (var i = 0; i < Precisions.Count; i++)
        {
            if (i > 0)
            {
                builder.Append('/');
            }

            builder.Append(culture, $"{Precisions[i]:F1}");
        }

        builder.Append(culture, $" (BP = {BrevityPenalty:F3} ratio = {LengthRatio:F3} hyp_len = {SystemLength} ref_len = {ReferenceLength})");
        return builder.ToString();
    }
}
