using System.ComponentModel;

namespace EvalKit.Selection;

/// <summary>
/// What EvalKit's cache keeps of a decision: everything the engine computed from the evidence, in a form that can go to a
/// distributed cache level and back. Immutable, so that the local level hands out the same instance.
/// </summary>
/// <param name="Explanation">The explanation, with the ranking.</param>
/// <param name="PriorMeans">Per ranked model, the mean of the online prior on the [0, 1] scale, or NaN when there is none.</param>
/// <param name="FixedTerms">Per ranked model, the normalized weighted score of every criterion but quality.</param>
/// <param name="QualityWeight">The normalized weight of quality.</param>
/// <param name="ChangesAt">When the evidence changes with time alone (the earliest <see cref="ModelEvidence.ChangesAt"/>), if ever.</param>
/// <param name="Origin">The engine instance that computed it; its <see cref="SelectionExplanation.EvidenceVersion"/> means something only there.</param>
[ImmutableObject(true)]
internal sealed record CachedSelection(
    SelectionExplanation Explanation, double[] PriorMeans, double[] FixedTerms, double QualityWeight, DateTimeOffset? ChangesAt, Guid Origin);

/// <summary>The arguments a cached decision is keyed by (as canonical JSON, hashed).</summary>
/// <param name="Request">The request (capability and candidate lists are kept sorted, so equal requests give equal keys).</param>
/// <param name="Models">The registry snapshot's version: any model write gives new keys.</param>
/// <param name="Engine">The engine's settings that change decisions (scales, minimum samples, missing-evidence score).</param>
/// <param name="EvidenceVersion">The evidence source's version, for sources whose decisions stay in one engine; otherwise <see langword="null"/>.</param>
/// <param name="Origin">The engine instance, for sources whose decisions stay in one engine; otherwise <see langword="null"/>.</param>
internal sealed record SelectionCacheKey(SelectionRequest Request, long Models, string Engine, long? EvidenceVersion, Guid? Origin);
