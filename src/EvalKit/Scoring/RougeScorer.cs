using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>
/// ROUGE F-measure (0..1) of the answer against the best reference of the case, with Google rouge-score's semantics
/// (<see cref="Rouge.ScoreMax(IReadOnlyList{string}, string, RougeType, bool)"/>).
/// </summary>
/// <remarks>The precision and recall of the best reference go to <see cref="Score.Explanation"/>. The scorer is stateless and thread-safe.</remarks>
public sealed class RougeScorer : ReferenceScorer
{
    private readonly RougeType _type;
    private readonly bool _useStemmer;

    /// <summary>Initializes a new instance of the <see cref="RougeScorer"/> class.</summary>
    /// <param name="type">The ROUGE variant.</param>
    /// <param name="useStemmer">Whether tokens are Porter-stemmed, as rouge-score's <c>use_stemmer</c>.</param>
    /// <param name="name">The metric name; <see langword="null"/> for rouge-score's name of the variant, such as <c>rougeL</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty or white space.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not defined.</exception>
    public RougeScorer(RougeType type = RougeType.RougeL, bool useStemmer = false, string? name = null)
        : base(name ?? Rouge.GetName(type))
    {
        if (!Enum.IsDefined(type))
        {
            throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown ROUGE type.");
        }

        if (name is not null)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(name);
        }

        _type = type;
        _useStemmer = useStemmer;
    }

    /// <inheritdoc/>
    protected override Score ScoreCore(ScoringContext context)
    {
        var rouge = Rouge.ScoreMax(context.References, context.Output, _type, _useStemmer);
        return new Score
        {
            Name = Name,
            Value = rouge.FMeasure,
            Explanation = string.Format(CultureInfo.InvariantCulture, "P={0:F4} R={1:F4} F={2:F4}", rouge.Precision, rouge.Recall, rouge.FMeasure),
        };
    }
}
