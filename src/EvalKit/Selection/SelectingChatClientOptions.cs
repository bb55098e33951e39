using System.Globalization;
using Microsoft.Extensions.AI;

namespace EvalKit.Selection;

/// <summary>Options of <see cref="SelectingChatClient"/>.</summary>
public sealed class SelectingChatClientOptions
{
    /// <summary>Gets or sets the maximum number of models tried per request: the first choice, then the next ranked ones on failure.</summary>
    /// <value>The default value is 3 (bounded further by <see cref="SelectionRequest.TopK"/>).</value>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>
    /// Gets or sets a value indicating whether the inner client of the pipeline serves a request for which no model is eligible;
    /// when <see langword="false"/>, such a request throws <see cref="NoEligibleModelException"/>.
    /// </summary>
    /// <value>The default value is <see langword="false"/>.</value>
    public bool UseInnerClientWhenNoModelEligible { get; set; }

    /// <summary>Gets or sets a value indicating whether latency, success, tokens and cost of every call are written to the metric store.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool RecordRuntimeMetrics { get; set; } = true;

    /// <summary>
    /// Gets or sets the largest number of metric points written in one storage call. Points are queued and written in the
    /// background, in batches of what accumulated while the previous write ran, so the request path never waits for storage.
    /// </summary>
    /// <value>The default value is 256.</value>
    public int MetricsBatchSize { get; set; } = 256;

    /// <summary>
    /// Gets or sets a function that grades an answer in [0, 1] (or returns <see langword="null"/> when it cannot), fed to the online
    /// learner with the outcome. Without it, a successful call counts as 1 and a failed one as 0.
    /// </summary>
    public Func<ChatResponse, double?>? QualityFeedback { get; set; }

    /// <summary>Copies the options, so that later changes do not reach a client built from them.</summary>
    internal SelectingChatClientOptions Copy() => (SelectingChatClientOptions)MemberwiseClone();

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"SelectingChatClientOptions.MaxAttempts must be at least 1 (was {MaxAttempts})."), "options.MaxAttempts");
        }

        if (MetricsBatchSize < 1)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"SelectingChatClientOptions.MetricsBatchSize must be at least 1 (was {MetricsBatchSize})."), "options.MetricsBatchSize");
        }
    }
}
