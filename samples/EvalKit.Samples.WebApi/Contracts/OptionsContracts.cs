using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Samples.WebApi.Hosting;

namespace EvalKit.Samples.WebApi.Contracts;

/// <summary>How a run calls the model; members left out take EvalKit's defaults.</summary>
internal sealed class OptionsBody
{
    /// <summary>Gets the maximum number of model calls in flight (1 to 1,000).</summary>
    public int? MaxConcurrency { get; init; }

    /// <summary>Gets the samples per case (1 to 100).</summary>
    public int? Repetitions { get; init; }

    /// <summary>Gets the timeout of one model call, in seconds.</summary>
    public double? TimeoutSeconds { get; init; }

    /// <summary>Gets the retries of a call that failed transiently (0 to 10).</summary>
    public int? MaxRetries { get; init; }

    /// <summary>Gets the limit of requests per minute.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Gets the limit of tokens per minute.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>Gets the sampling temperature (0 to 2).</summary>
    public float? Temperature { get; init; }

    /// <summary>Gets the seed passed to the model.</summary>
    public long? Seed { get; init; }

    /// <summary>Gets the maximum output tokens.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>Gets whether answers are served from, and saved to, the response cache.</summary>
    public bool? UseResponseCache { get; init; }

    /// <summary>Builds the options, checking every member.</summary>
    /// <param name="errors">Collects the problems.</param>
    /// <param name="field">The JSON name of this object.</param>
    /// <returns>The options.</returns>
    public EvaluationOptions ToOptions(FieldErrors errors, string field)
    {
        var defaults = new EvaluationOptions();
        Range(MaxConcurrency, 1, 1_000, $"{field}.max_concurrency", errors);
        Range(Repetitions, 1, 100, $"{field}.repetitions", errors);
        Range(MaxRetries, 0, 10, $"{field}.max_retries", errors);
        Range(RequestsPerMinute, 1, int.MaxValue, $"{field}.requests_per_minute", errors);
        Range(TokensPerMinute, 1, int.MaxValue, $"{field}.tokens_per_minute", errors);
        Range(MaxOutputTokens, 1, int.MaxValue, $"{field}.max_output_tokens", errors);
        if (TimeoutSeconds is { } timeout && (!double.IsFinite(timeout) || timeout <= 0 || timeout > 3_600))
        {
            errors.Add($"{field}.timeout_seconds", string.Create(CultureInfo.InvariantCulture, $"must be more than 0 and at most 3600 (was {timeout})."));
        }

        if (Temperature is { } temperature && (!float.IsFinite(temperature) || temperature < 0 || temperature > 2))
        {
            errors.Add($"{field}.temperature", string.Create(CultureInfo.InvariantCulture, $"must lie in [0, 2] (was {temperature})."));
        }

        return new EvaluationOptions
        {
            MaxConcurrency = MaxConcurrency ?? defaults.MaxConcurrency,
            Repetitions = Repetitions ?? defaults.Repetitions,
            Timeout = TimeoutSeconds is { } t && double.IsFinite(t) && t > 0 && t <= 3_600 ? TimeSpan.FromSeconds(t) : defaults.Timeout,
            MaxRetries = MaxRetries ?? defaults.MaxRetries,
            RequestsPerMinute = RequestsPerMinute,
            TokensPerMinute = TokensPerMinute,
            Temperature = Temperature,
            Seed = Seed,
            MaxOutputTokens = MaxOutputTokens,
            UseResponseCache = UseResponseCache ?? defaults.UseResponseCache,
        };
    }

    private static void Range(int? value, int min, int max, string field, FieldErrors errors)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(field, max == int.MaxValue
                ? string.Create(CultureInfo.InvariantCulture, $"must be at least {min} (was {v}).")
                : string.Create(CultureInfo.InvariantCulture, $"must lie in [{min}, {max}] (was {v})."));
        }
    }
}

/// <summary>Evaluation options, as the API shows them.</summary>
internal sealed record OptionsView(
    int MaxConcurrency,
    int Repetitions,
    double? TimeoutSeconds,
    int MaxRetries,
    int? RequestsPerMinute,
    int? TokensPerMinute,
    float? Temperature,
    long? Seed,
    int? MaxOutputTokens,
    bool UseResponseCache)
{
    /// <summary>Shows options.</summary>
    /// <param name="options">The options.</param>
    /// <returns>The view, or <see langword="null"/>.</returns>
    public static OptionsView? From(EvaluationOptions? options) => options is null ? null : new(
        options.MaxConcurrency,
        options.Repetitions,
        options.Timeout?.TotalSeconds,
        options.MaxRetries,
        options.RequestsPerMinute,
        options.TokensPerMinute,
        options.Temperature,
        options.Seed,
        options.MaxOutputTokens,
        options.UseResponseCache);
}
