using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>Argument checks shared by the corpus-level metrics (sacrebleu's <c>_check_corpus_score_args</c>).</summary>
internal static class CorpusValidation
{
    /// <summary>Checks hypotheses and reference streams of the sacrebleu layout.</summary>
    /// <exception cref="ArgumentNullException">An argument, a stream or a hypothesis is null.</exception>
    /// <exception cref="ArgumentException">No hypotheses, no streams, or a stream of the wrong length.</exception>
    public static void Check(IReadOnlyList<string> hypotheses, IReadOnlyList<IReadOnlyList<string>> referenceStreams)
    {
        ArgumentNullException.ThrowIfNull(hypotheses);
        ArgumentNullException.ThrowIfNull(referenceStreams);
        if (hypotheses.Count == 0)
        {
            throw new ArgumentException("At least one hypothesis is required.", nameof(hypotheses));
        }

        for (var i = 0; i < hypotheses.Count; i++)
        {
            if (hypotheses[i] is null)
            {
                throw new ArgumentNullException(
                    nameof(hypotheses),
                    string.Format(CultureInfo.InvariantCulture, "hypotheses[{0}] is null.", i));
            }
        }

        if (referenceStreams.Count == 0)
        {
            throw new ArgumentException("At least one reference stream is required.", nameof(referenceStreams));
        }

        for (var k = 0; k < referenceStreams.Count; k++)
        {
            var stream = referenceStreams[k];
            if (stream is null)
            {
                throw new ArgumentNullException(
                    nameof(referenceStreams),
                    string.Format(CultureInfo.InvariantCulture, "referenceStreams[{0}] is null.", k));
            }

            if (stream.Count != hypotheses.Count)
            {
                throw new ArgumentException(
                    string.Format(
                        CultureInfo.InvariantCulture,
                        "referenceStreams[{0}] has {1} segments but there are {2} hypotheses; every reference stream needs one entry per hypothesis (null or empty for a missing reference).",
                        k,
                        stream.Count,
                        hypotheses.Count),
                    nameof(referenceStreams));
            }
        }
    }
}
