using System.Globalization;

namespace EvalKit.Metrics;

/// <summary>The options of the <see cref="MetricsService"/>.</summary>
public sealed class MetricsOptions
{
    /// <summary>Gets the retention rules that <see cref="IMetricsService.ApplyRetentionAsync"/> applies.</summary>
    /// <value>The default value is empty: nothing is deleted until a rule is added.</value>
    public IList<MetricRetentionRule> Retention { get; } = [];

    /// <summary>Gets or sets the anomaly detection thresholds used when a request brings none.</summary>
    /// <value>The default value is a new <see cref="AnomalyDetectionOptions"/> with its defaults.</value>
    public AnomalyDetectionOptions AnomalyDetection { get; set; } = new();

    /// <summary>Checks the options and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        for (var i = 0; i < Retention.Count; i++)
        {
            if (RetentionProblem(Retention[i]) is { } problem)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"Retention rule {i}: {problem}"));
            }
        }

        if (AnomalyDetection is null)
        {
            problems.Add($"{nameof(AnomalyDetection)} is null.");
        }
        else
        {
            try
            {
                AnomalyDetection.Validate();
            }
            catch (ArgumentException e)
            {
                problems.Add($"{nameof(AnomalyDetection)}: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid metrics options: " + string.Join(" ", problems));
        }
    }

    internal static string? RetentionProblem(MetricRetentionRule? rule) => rule switch
    {
        null => "the rule is null.",
        { MaxAge: var age } when age <= TimeSpan.Zero => string.Create(CultureInfo.InvariantCulture, $"MaxAge must be positive (was {age})."),
        { ModelId: { } model } when string.IsNullOrWhiteSpace(model) => "the model id is empty; use null for every model.",
        { Name: { } name } when string.IsNullOrWhiteSpace(name) => "the metric name is empty; use null for every metric.",
        _ => null,
    };
}
