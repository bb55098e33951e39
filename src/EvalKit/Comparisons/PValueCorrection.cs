namespace EvalKit.Comparisons;

/// <summary>How the p-values of the pairwise comparisons of one test are adjusted for multiplicity.</summary>
public enum PValueCorrection
{
    /// <summary>Holm's step-down method (controls the family-wise error rate; the default).</summary>
    Holm,

    /// <summary>Benjamini–Hochberg (controls the false discovery rate).</summary>
    BenjaminiHochberg,

    /// <summary>Bonferroni (controls the family-wise error rate; more conservative than Holm).</summary>
    Bonferroni,

    /// <summary>No adjustment.</summary>
    None,
}
