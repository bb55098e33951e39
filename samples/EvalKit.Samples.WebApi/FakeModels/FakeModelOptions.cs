namespace EvalKit.Samples.WebApi.FakeModels;

/// <summary>One offline, deterministic model (configuration section <c>FakeModels</c>, an array).</summary>
internal sealed class FakeModelOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "FakeModels";

    /// <summary>Gets the model id the client is registered under (the keyed <c>IChatClient</c>'s key).</summary>
    public string ModelId { get; init; } = string.Empty;

    /// <summary>Gets the share of known prompts, in percent, that the model answers wrongly (chosen by a stable hash of the prompt).</summary>
    public int WrongPercent { get; init; }

    /// <summary>Gets a value indicating whether the model never answers (its calls wait until cancelled): a way to try the cancel endpoint.</summary>
    public bool NeverAnswers { get; init; }
}
