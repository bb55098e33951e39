using System.Globalization;

namespace EvalKit.Scoring;

/// <summary>A chrF or chrF++ score, as sacrebleu's <c>CHRFScore</c>.</summary>
/// <param name="Score">The score, 0 to 100.</param>
/// <param name="CharOrder">The character n-gram order used.</param>
/// <param name="WordOrder">The word n-gram order used (2 for chrF++).</param>
/// <param name="Beta">The recall weight used.</param>
public sealed record ChrFScore(double Score, int CharOrder, int WordOrder, int Beta)
{
    /// <summary>sacrebleu's name of the metric variant: "chrF2" for chrF, "chrF2++" for chrF++.</summary>
    public string Name => string.Create(CultureInfo.InvariantCulture, $"chrF{Beta}") + new string('+', WordOrder);

    /// <summary>sacrebleu's form, e.g. <c>chrF2 = 64.13</c>.</summary>
    /// <returns>The formatted score, with the invariant culture.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Name} = {Score:F2}");
}
