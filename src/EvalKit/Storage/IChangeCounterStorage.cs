namespace EvalKit.Storage;

/// <summary>
/// The store's change counters, per tenant and <see cref="ChangeScope"/>: cheap numbers that move whenever something a
/// cached answer depends on is written, in the same transaction as the write, and that every process sharing the store
/// reads alike. EvalKit's cache (<see cref="Caching.EvalKitCache"/>) stamps each answer with the counters it was computed
/// under and serves it only while they are unchanged.
/// </summary>
/// <remarks>
/// <para>
/// Only equality matters: a counter that differs from the one an answer was stamped with means the answer may be stale.
/// A counter that was never advanced reads as 0; a new counter starts at a random value, so a counter deleted with its
/// data (erasure) and created again does not repeat a value an old answer was stamped with. The tenant's
/// <see cref="ChangeScope.Epoch"/> is created on first read when missing.
/// </para>
/// <para>
/// Writes that advance counters: run records (added, changed or deleted: <see cref="ChangeScope.Run(string)"/> and
/// <see cref="ChangeScope.Runs"/>; a delete advances <see cref="ChangeScope.Epoch"/>), metric points (appended:
/// <see cref="ChangeScope.ModelMetrics(string)"/>; deleted by age: <see cref="ChangeScope.Epoch"/>). Model writes advance the
/// model change counter instead (<see cref="IModelStorage.GetChangeCounterAsync"/>). Results appended to a run do not: a
/// cache keeps answers about completed runs only, whose results no longer change.
/// </para>
/// </remarks>
public interface IChangeCounterStorage
{
    /// <summary>
    /// Occurs after a write through this store instance committed and advanced counters, in the writing process only (other
    /// processes see the change when they next read the counters). The cache drops the answers that depend on them.
    /// </summary>
    event EventHandler<ChangeCountersAdvancedEventArgs>? Advanced;

    /// <summary>Reads the current tenant's counters of some scopes, in one round trip.</summary>
    /// <param name="scopes">The scopes.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The counters, in the order of <paramref name="scopes"/>; 0 for a scope never advanced.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    ValueTask<IReadOnlyList<long>> ReadAsync(IReadOnlyList<ChangeScope> scopes, CancellationToken cancellationToken = default);
}
