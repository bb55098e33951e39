using EvalKit.Registry;

namespace EvalKit.Samples.QuickStart;

/// <summary>A simulated local model: what the registry knows about it, and how it behaves.</summary>
/// <param name="Descriptor">The registry entry: capabilities, pricing, context window.</param>
/// <param name="Behavior">How the simulated client answers.</param>
public sealed record LocalModel(ModelDescriptor Descriptor, SimulatedModelProfile Behavior);
