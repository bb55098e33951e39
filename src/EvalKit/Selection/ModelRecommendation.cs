using EvalKit.Registry;

namespace EvalKit.Selection;

/// <summary>A ranked model with its score and, per criterion, the value, scale score, weight, contribution and evidence.</summary>
public sealed record ModelRecommendation
{
    private readonly IReadOnlyList<CriterionScore> _criteria = [];

    /// <summary>Gets the model id.</summary>
    public string ModelId => Model.Id;

    /// <summary>Gets the model's registry descriptor at the time of the decision.</summary>
    public required ModelDescriptor Model { get; init; }

    /// <summary>Gets the rank, 1 for the best.</summary>
    public required int Rank { get; init; }

    /// <summary>Gets the score in [0, 1]: the weighted sum of the criterion scores, or the TOPSIS closeness.</summary>
    public required double Score { get; init; }

    /// <summary>Gets the four criteria, in the order of <see cref="SelectionCriterion"/>.</summary>
    public required IReadOnlyList<CriterionScore> Criteria
    {
        get => _criteria;
        init => _criteria = value is null ? [] : [.. value];
    }

    /// <summary>Gets the distance to the ideal point, with TOPSIS; otherwise <see langword="null"/>.</summary>
    public double? DistanceToIdeal { get; init; }

    /// <summary>Gets the distance to the anti-ideal point, with TOPSIS; otherwise <see langword="null"/>.</summary>
    public double? DistanceToAntiIdeal { get; init; }

    /// <summary>Gets a value indicating whether any criterion lacks evidence (see each <see cref="CriterionScore.Note"/>).</summary>
    public bool HasInsufficientEvidence => _criteria.Any(c => c.InsufficientEvidence);

    /// <summary>Gets the score of one criterion.</summary>
    /// <param name="criterion">The criterion.</param>
    /// <returns>Its breakdown.</returns>
    public CriterionScore this[SelectionCriterion criterion] => _criteria[(int)criterion];
}
