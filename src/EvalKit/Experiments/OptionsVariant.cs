using EvalKit.Evaluation;

namespace EvalKit.Experiments;

/// <summary>
/// One options variant of an experiment's matrix (such as a temperature): the members set here replace those of the
/// experiment's base options; a member left <see langword="null"/> keeps the base value.
/// </summary>
public sealed record OptionsVariant
{
    /// <summary>Gets the variant's name, unique in the experiment, shown in labels and reports (such as <c>"t=0.7"</c>).</summary>
    public required string Name { get; init; }

    /// <summary>Gets the sampling temperature, or <see langword="null"/> to keep the base value.</summary>
    public float? Temperature { get; init; }

    /// <summary>Gets the seed, or <see langword="null"/> to keep the base value.</summary>
    public long? Seed { get; init; }

    /// <summary>Gets the maximum output tokens, or <see langword="null"/> to keep the base value.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets the number of samples per case, or <see langword="null"/> to keep the base value.</summary>
    public int? Repetitions { get; init; }

    /// <summary>Applies the variant to base options.</summary>
    /// <param name="baseOptions">The base options (not modified).</param>
    /// <returns>A copy of <paramref name="baseOptions"/> with the variant's members set.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="baseOptions"/> is <see langword="null"/>.</exception>
    public EvaluationOptions ApplyTo(EvaluationOptions baseOptions)
    {
        ArgumentNullException.ThrowIfNull(baseOptions);
        return baseOptions with
        {
            Temperature = Temperature ?? baseOptions.Temperature,
            Seed = Seed ?? baseOptions.Seed,
            MaxOutputTokens = MaxOutputTokens ?? baseOptions.MaxOutputTokens,
            Repetitions = Repetitions ?? baseOptions.Repetitions,
        };
    }
}
