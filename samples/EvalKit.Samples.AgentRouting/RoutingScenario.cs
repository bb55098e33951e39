using Microsoft.Extensions.AI;

namespace EvalKit.Samples.AgentRouting;

/// <summary>One request the sample's agent sends through the routing pipeline.</summary>
/// <param name="Name">A short name, printed in brackets (<c>[vision]</c>).</param>
/// <param name="Requirement">What the request needs, in words, and how it says so.</param>
/// <param name="Message">The user message.</param>
/// <param name="Options">The chat options: the per-request selection overrides live in <see cref="ChatOptions.AdditionalProperties"/>.</param>
public sealed record RoutingScenario(string Name, string Requirement, ChatMessage Message, ChatOptions? Options = null);
