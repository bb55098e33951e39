namespace EvalKit.Scoring;

/// <summary>What a scorer used a model for (<see cref="ScoreUsage.Kind"/>); cost accounting reports each kind apart from the evaluation calls.</summary>
public enum ScoreUsageKind
{
    /// <summary>A judge model rated the answer (<see cref="JudgeScorer"/>, <see cref="JudgePanel"/>, <see cref="PairwiseJudge"/>).</summary>
    Judge,

    /// <summary>An embedding model embedded texts (<see cref="SemanticSimilarityScorer"/>).</summary>
    Embedding,
}
