using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>Shared failure scores of the built-in scorers.</summary>
internal static class ScorerErrors
{
    public static Score NoReference(string name, ScoringContext context) =>
        Score.Failed(name, string.Format(CultureInfo.InvariantCulture, "Case '{0}' has no reference to compare with.", context.Case.Id));
}
