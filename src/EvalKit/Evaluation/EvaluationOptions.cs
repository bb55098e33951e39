using System.ComponentModel.DataAnnotations;

namespace EvalKit.Evaluation;

/// <summary>How a run calls the model. Unset values take the defaults documented on each member (also when read from JSON).</summary>
public sealed record EvaluationOptions
{
    /// <summary>Gets the maximum number of model calls in flight.</summary>
    /// <value>The default value is 8.</value>
    /// <remarks>
    /// A worker starts its next call as soon as the model has answered its current case, and scores that case while the
    /// next call runs. Calls that scorers make themselves (a judge, an embedding) are not counted: up to this many cases
    /// may be scoring while as many model calls run.
    /// </remarks>
    [Range(1, 100_000)]
    public int MaxConcurrency { get; set; } = 8;

    /// <summary>Gets the number of samples per case (K); per-case means feed the standard errors.</summary>
    /// <value>The default value is 1.</value>
    [Range(1, 1_000)]
    public int Repetitions { get; set; } = 1;

    /// <summary>Gets the timeout of one model call, or <see langword="null"/> for none.</summary>
    /// <value>The default value is 100 seconds.</value>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.Never)]
    public TimeSpan? Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Gets the maximum number of retries of a call that failed transiently.</summary>
    /// <value>The default value is 3.</value>
    [Range(0, 100)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets the limit of requests per minute, or <see langword="null"/> for none.</summary>
    public int? RequestsPerMinute { get; set; }

    /// <summary>Gets the limit of tokens per minute, or <see langword="null"/> for none.</summary>
    public int? TokensPerMinute { get; set; }

    /// <summary>Gets the sampling temperature passed to the model, or <see langword="null"/> for the model's default.</summary>
    public float? Temperature { get; set; }

    /// <summary>Gets the seed passed to the model (repetition r uses <c>Seed + r</c>), or <see langword="null"/>.</summary>
    public long? Seed { get; set; }

    /// <summary>Gets the maximum output tokens passed to the model, or <see langword="null"/>.</summary>
    public int? MaxOutputTokens { get; set; }

    /// <summary>Gets whether answers are served from, and saved to, the response cache.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseResponseCache { get; set; }

    /// <summary>Gets whether answers are streamed (<see cref="Microsoft.Extensions.AI.IChatClient.GetStreamingResponseAsync"/>), which measures the time to the first token.</summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool Streaming { get; set; }

    /// <summary>Gets the number of results written per storage transaction.</summary>
    /// <value>The default value is 512.</value>
    [Range(1, 100_000)]
    public int WriteBatchSize { get; set; } = 512;

    /// <summary>Checks the options and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names each one.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (MaxConcurrency < 1)
        {
            problems.Add($"{nameof(MaxConcurrency)} must be at least 1 (was {MaxConcurrency}).");
        }

        if (Repetitions < 1)
        {
            problems.Add($"{nameof(Repetitions)} must be at least 1 (was {Repetitions}).");
        }

        if (Timeout is { } t && t <= TimeSpan.Zero)
        {
            problems.Add($"{nameof(Timeout)} must be positive (was {t}).");
        }

        if (MaxRetries < 0)
        {
            problems.Add($"{nameof(MaxRetries)} must not be negative (was {MaxRetries}).");
        }

        if (RequestsPerMinute is < 1)
        {
            problems.Add($"{nameof(RequestsPerMinute)} must be at least 1 (was {RequestsPerMinute}).");
        }

        if (TokensPerMinute is < 1)
        {
            problems.Add($"{nameof(TokensPerMinute)} must be at least 1 (was {TokensPerMinute}).");
        }

        if (Temperature is { } temperature && !(float.IsFinite(temperature) && temperature >= 0))
        {
            problems.Add($"{nameof(Temperature)} must be a finite number, at least 0 (was {temperature.ToString(System.Globalization.CultureInfo.InvariantCulture)}).");
        }

        if (MaxOutputTokens is < 1)
        {
            problems.Add($"{nameof(MaxOutputTokens)} must be at least 1 (was {MaxOutputTokens}).");
        }

        if (WriteBatchSize < 1)
        {
            problems.Add($"{nameof(WriteBatchSize)} must be at least 1 (was {WriteBatchSize}).");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid evaluation options: " + string.Join(" ", problems));
        }
    }
}
