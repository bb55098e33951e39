using System.Globalization;
using System.Text;

namespace EvalKit.Selection;

/// <summary>
/// Why the selection engine decided as it did: every ranked model with its per-criterion values, scale scores, weights and
/// contributions; every rejected model with the constraint that excluded it and by how much; and the evidence behind each
/// number. Insufficient evidence is stated, never hidden.
/// </summary>
public sealed record SelectionExplanation
{
    private readonly IReadOnlyList<ModelRecommendation> _ranked = [];
    private readonly IReadOnlyList<RejectedModel> _rejected = [];

    /// <summary>Gets the request.</summary>
    public required SelectionRequest Request { get; init; }

    /// <summary>Gets the ranked models, best first (ties broken by ordinal model id).</summary>
    public required IReadOnlyList<ModelRecommendation> Ranked
    {
        get => _ranked;
        init => _ranked = value is null ? [] : [.. value];
    }

    /// <summary>Gets the models that were excluded, in model id order.</summary>
    public required IReadOnlyList<RejectedModel> Rejected
    {
        get => _rejected;
        init => _rejected = value is null ? [] : [.. value];
    }

    /// <summary>Gets the winner, or <see langword="null"/> when no model is eligible.</summary>
    public ModelRecommendation? Winner => _ranked.Count > 0 ? _ranked[0] : null;

    /// <summary>Gets the winner's score minus the runner-up's, or <see langword="null"/> with fewer than two ranked models.</summary>
    public double? Margin => _ranked.Count > 1 ? _ranked[0].Score - _ranked[1].Score : null;

    /// <summary>Gets the evidence source's <see cref="ISelectionEvidenceSource.Version"/> the decision was made at.</summary>
    public required long EvidenceVersion { get; init; }

    /// <summary>Gets when the decision was computed.</summary>
    public required DateTimeOffset ComputedAt { get; init; }

    /// <summary>Writes the explanation as text: the ranking, each criterion with its evidence, and the rejections.</summary>
    /// <returns>The text, one line per fact.</returns>
    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"Selection at {ComputedAt:O} (evidence version {EvidenceVersion}, {Request.Scoring}, {Request.Mode}): ");
        text.AppendLine(Winner is null ? "no eligible model." : $"{Winner.ModelId} wins" + (Margin is { } m ? string.Create(c, $" by {m:0.####}.") : "."));
        foreach (var model in _ranked)
        {
            text.Append(c, $"#{model.Rank} {model.ModelId}: score {model.Score:0.####}");
            if (model.DistanceToIdeal is { } plus && model.DistanceToAntiIdeal is { } minus)
            {
                text.Append(c, $" (distance to ideal {plus:0.####}, to anti-ideal {minus:0.####})");
            }

            text.AppendLine();
            foreach (var criterion in model.Criteria)
            {
                text.Append(c, $"  {criterion.Criterion}: ");
                if (criterion.RawValue is { } raw)
                {
                    text.Append(c, $"{raw:0.####} {criterion.Unit}");
                }
                else
                {
                    text.Append("insufficient evidence");
                }

                text.Append(c, $" -> scale score {criterion.Score:0.####} x weight {criterion.Weight:0.####} = {criterion.Contribution:0.####}");
                if (criterion.Evidence is { } e)
                {
                    text.Append(c, $" [{Describe(e)}]");
                }

                if (criterion.Note is { } note)
                {
                    text.Append(c, $" ({note})");
                }

                text.AppendLine();
            }
        }

        foreach (var rejected in _rejected)
        {
            text.AppendLine(c, $"rejected {rejected.ModelId} ({rejected.Reason}): {rejected.Message}");
        }

        return text.ToString();
    }

    internal static string Describe(Estimate e)
    {
        var c = CultureInfo.InvariantCulture;
        var interval = e.Interval is { } i ? string.Create(c, $", 95% interval [{i.Lower:0.####}, {i.Upper:0.####}]") : string.Empty;
        return string.Create(c, $"n = {e.N}{interval}, from {e.Origin}{(e.Source is null ? string.Empty : " " + e.Source)}");
    }
}
