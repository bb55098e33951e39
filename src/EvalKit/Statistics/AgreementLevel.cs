namespace EvalKit.Statistics;

/// <summary>The level of measurement of ratings, which sets the distance of Krippendorff's alpha.</summary>
public enum AgreementLevel
{
    /// <summary>Categories without order: any two different values disagree equally.</summary>
    Nominal = 0,

    /// <summary>Ordered categories: distance from the ranks, weighted by how many values lie between (Krippendorff's ordinal metric).</summary>
    Ordinal = 1,

    /// <summary>Numbers on an interval scale: squared difference.</summary>
    Interval = 2,

    /// <summary>Numbers on a ratio scale: squared difference over the sum, ((c − k) / (c + k))².</summary>
    Ratio = 3,
}
