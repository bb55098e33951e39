namespace EvalKit.Statistics;

/// <summary>
/// The rating scale and fitting options of <see cref="BradleyTerry"/>. The defaults are Chatbot Arena's (FastChat
/// <c>elo_analysis.py</c>): <c>P(i beats j) = 1 / (1 + Base^((R_j - R_i)/Scale))</c>, Scale 400, Base 10, ratings
/// centred on 1000.
/// </summary>
public sealed record BradleyTerryOptions
{
    /// <summary>Gets the rating points per factor of <see cref="Base"/> in the odds; default 400. Must be positive.</summary>
    public double Scale { get; init; } = 400;

    /// <summary>Gets the base of the odds; default 10. Must be greater than 1.</summary>
    public double Base { get; init; } = 10;

    /// <summary>
    /// Gets the mean rating when no anchor is set; default 1000. FastChat's optimiser starts every model at 1000 and
    /// keeps their mean there, so this reproduces its unanchored ratings.
    /// </summary>
    public double InitialRating { get; init; } = 1000;

    /// <summary>Gets the model whose rating is fixed at <see cref="AnchorRating"/> (FastChat anchors a baseline model); <see langword="null"/> for none.</summary>
    public string? AnchorModel { get; init; }

    /// <summary>Gets the rating given to <see cref="AnchorModel"/>; default 1000.</summary>
    public double AnchorRating { get; init; } = 1000;

    /// <summary>
    /// Gets the L2 penalty λ added to the negative log-likelihood as <c>λ/2 · Σ θ_i²</c>, with θ = (R - mean)/Scale;
    /// default 0 (the plain maximum-likelihood estimate, as FastChat). A positive value makes the fit exist when some
    /// model never loses (or never wins).
    /// </summary>
    public double Regularization { get; init; }
}
