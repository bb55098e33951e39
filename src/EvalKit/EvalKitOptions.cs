using System.ComponentModel.DataAnnotations;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Telemetry;

namespace EvalKit;

/// <summary>EvalKit's options.</summary>
public sealed class EvalKitOptions
{
    /// <summary>Gets or sets the evaluation options a run uses when neither the request nor its benchmark sets them.</summary>
    /// <value>The default value is a new <see cref="EvaluationOptions"/> with its defaults.</value>
    [Required]
    public EvaluationOptions DefaultEvaluationOptions { get; set; } = new();

    /// <summary>Gets or sets the confidence level of the intervals EvalKit reports.</summary>
    /// <value>The default value is 0.95.</value>
    [Range(0.5, 0.9999)]
    public double DefaultConfidenceLevel { get; set; } = 0.95;

    /// <summary>Gets or sets the base delay of the exponential retry back-off (jitter is added; a provider's Retry-After wins).</summary>
    /// <value>The default value is 1 second.</value>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Gets or sets the limits every dataset import through <see cref="IDatasetStore"/> is checked against (case count, case size, id, name and metadata lengths).</summary>
    /// <value>The default value is a new <see cref="Datasets.InputLimits"/> with its defaults.</value>
    [Required]
    public InputLimits InputLimits { get; set; } = new();

    /// <summary>Gets or sets what EvalKit's activities and log messages may contain.</summary>
    /// <value>The default value is a new <see cref="EvalKitTelemetryOptions"/>: prompts and answers stay out of telemetry.</value>
    [Required]
    public EvalKitTelemetryOptions Telemetry { get; set; } = new();

    /// <summary>Gets or sets how EvalKit caches read answers: on or off, the lifetime of each kind, and the check interval of the store's change counters.</summary>
    /// <value>The default value is a new <see cref="Caching.EvalKitCachingOptions"/> with its defaults (on; registry reads 1 hour, run results 24 hours, selection decisions 1 hour, metrics queries 15 minutes).</value>
    [Required]
    public Caching.EvalKitCachingOptions Caching { get; set; } = new();

    /// <summary>Checks the options and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(DefaultEvaluationOptions);
        ArgumentNullException.ThrowIfNull(Telemetry);
        var problems = new List<string>();
        if (!(DefaultConfidenceLevel >= 0.5 && DefaultConfidenceLevel < 1))
        {
            problems.Add($"{nameof(DefaultConfidenceLevel)} must lie in [0.5, 1) (was {DefaultConfidenceLevel}).");
        }

        if (RetryBaseDelay < TimeSpan.Zero)
        {
            problems.Add($"{nameof(RetryBaseDelay)} must not be negative (was {RetryBaseDelay}).");
        }

        try
        {
            DefaultEvaluationOptions.Validate();
        }
        catch (ArgumentException e)
        {
            problems.Add($"{nameof(DefaultEvaluationOptions)}: {e.Message}");
        }

        if (InputLimits is null)
        {
            problems.Add($"{nameof(InputLimits)} must not be null.");
        }
        else
        {
            try
            {
                InputLimits.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add($"{nameof(InputLimits)}: {e.Message}");
            }
        }

        if (Caching is null)
        {
            problems.Add($"{nameof(Caching)} must not be null.");
        }
        else
        {
            try
            {
                Caching.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add($"{nameof(Caching)}: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid EvalKit options: " + string.Join(" ", problems));
        }
    }
}
