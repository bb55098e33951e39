using EvalKit.Statistics;

namespace EvalKit.Scoring;

/// <summary>Agreement between judges, from the scores of a <see cref="JudgePanel"/> (<see cref="JudgePanel.ScoreEachAsync"/>) over many cases.</summary>
public static class JudgeAgreement
{
    /// <summary>Krippendorff's alpha of the judges' values; failed scores count as missing ratings.</summary>
    /// <param name="scoresByCase">For each case, the judges' scores in the same judge order.</param>
    /// <param name="level">The level of measurement: <see cref="AgreementLevel.Ordinal"/> or <see cref="AgreementLevel.Interval"/> suit rating scales.</param>
    /// <returns>Alpha (see <see cref="Agreement.KrippendorffAlpha(double[,], AgreementLevel)"/>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="scoresByCase"/> or an element is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The cases have different numbers of judges.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="level"/> is not defined.</exception>
    public static double KrippendorffAlpha(IReadOnlyList<IReadOnlyList<Score>> scoresByCase, AgreementLevel level = AgreementLevel.Ordinal)
    {
        ArgumentNullException.ThrowIfNull(scoresByCase);
        var judges = scoresByCase.Count == 0 ? 0 : (scoresByCase[0] ?? throw new ArgumentNullException(nameof(scoresByCase))).Count;
        var data = new double[judges, scoresByCase.Count];
        for (var u = 0; u < scoresByCase.Count; u++)
        {
            var scores = scoresByCase[u] ?? throw new ArgumentNullException(nameof(scoresByCase));
            if (scores.Count != judges)
            {
                throw new ArgumentException("Every case must have a score from each judge.", nameof(scoresByCase));
            }

            for (var j = 0; j < judges; j++)
            {
                data[j, u] = scores[j]?.Value ?? double.NaN;
            }
        }

        return Agreement.KrippendorffAlpha(data, level);
    }

    /// <summary>Cohen's kappa of two judges' values over the cases both scored; values are rounded to integers as labels.</summary>
    /// <param name="judgeA">The first judge's scores, case by case.</param>
    /// <param name="judgeB">The second judge's scores, for the same cases.</param>
    /// <param name="weighting">The disagreement weights; <see cref="AgreementWeighting.Quadratic"/> suits rating scales.</param>
    /// <returns>Kappa (see <see cref="Agreement.CohensKappa(ReadOnlySpan{int}, ReadOnlySpan{int}, AgreementWeighting)"/>).</returns>
    /// <exception cref="ArgumentNullException">An argument is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The lists differ in length, or no case was scored by both judges.</exception>
    public static double CohensKappa(IReadOnlyList<Score> judgeA, IReadOnlyList<Score> judgeB, AgreementWeighting weighting = AgreementWeighting.None)
    {
        ArgumentNullException.ThrowIfNull(judgeA);
        ArgumentNullException.ThrowIfNull(judgeB);
        if (judgeA.Count != judgeB.Count)
        {
            throw new ArgumentException("Both judges must score the same cases.", nameof(judgeB));
        }

        var a = new List<int>(judgeA.Count);
        var b = new List<int>(judgeB.Count);
        for (var i = 0; i < judgeA.Count; i++)
        {
            if (judgeA[i]?.Value is { } x && judgeB[i]?.Value is { } y && double.IsFinite(x) && double.IsFinite(y))
            {
                a.Add((int)Math.Round(x, MidpointRounding.AwayFromZero));
                b.Add((int)Math.Round(y, MidpointRounding.AwayFromZero));
            }
        }

        if (a.Count == 0)
        {
            throw new ArgumentException("No case was scored by both judges.", nameof(judgeA));
        }

        return Agreement.CohensKappa(a.ToArray(), b.ToArray(), weighting);
    }
}
