namespace EvalKit.Statistics;

/// <summary>The result of one pairwise comparison ("battle") between two models.</summary>
public enum BradleyTerryOutcome
{
    /// <summary>Model A won.</summary>
    ModelAWins,

    /// <summary>Model B won.</summary>
    ModelBWins,

    /// <summary>A tie (including "both bad"); counted as half a win for each model, as Chatbot Arena does.</summary>
    Tie,
}
