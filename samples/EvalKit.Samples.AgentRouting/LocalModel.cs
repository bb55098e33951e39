using EvalKit.Registry;

namespace EvalKit.Samples.AgentRouting;

/// <summary>A local fake model: its registry entry (capabilities, pricing) and how it behaves.</summary>
/// <param name="Descriptor">The registry entry.</param>
/// <param name="Latency">The typical latency of a call; each call takes between 90% and 110% of it.</param>
/// <param name="WrongPercent">The share of questions it answers wrongly, in [0, 100].</param>
public sealed record LocalModel(ModelDescriptor Descriptor, TimeSpan Latency, int WrongPercent)
{
    /// <summary>Gets the model id.</summary>
    public string Id => Descriptor.Id;
}
