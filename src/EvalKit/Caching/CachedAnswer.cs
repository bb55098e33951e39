using System.ComponentModel;

namespace EvalKit.Caching;

/// <summary>
/// A cached answer with the tenant it belongs to and the stamp of the change counters it was computed under. Immutable,
/// so that <c>HybridCache</c> hands out the same instance from its local level instead of a deserialized copy.
/// </summary>
/// <typeparam name="T">The answer's type; answers are immutable too.</typeparam>
[ImmutableObject(true)]
internal sealed class CachedAnswer<T>(string tenant, long stamp, T value)
{
    /// <summary>Gets the tenant the answer belongs to (checked on every read, besides being part of the key).</summary>
    public string Tenant { get; } = tenant;

    /// <summary>Gets the stamp of the change counters the answer was computed under.</summary>
    public long Stamp { get; } = stamp;

    /// <summary>Gets the answer.</summary>
    public T Value { get; } = value;
}
