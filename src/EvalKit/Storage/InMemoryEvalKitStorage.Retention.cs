namespace EvalKit.Storage;

/// <content>The audit log and the bulk deletes of retention.</content>
public sealed partial class InMemoryEvalKitStorage
{
    private RetentionStore? _retention;

    /// <inheritdoc/>
    public IAuditStorage Audit { get; } = new InMemoryAuditStorage();

    /// <inheritdoc/>
    public IRetentionStorage Retention => _retention ??= new RetentionStore(this);

    private sealed class RetentionStore(InMemoryEvalKitStorage s) : IRetentionStorage
    {
        public ValueTask<long> DeleteResultsAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            var deleted = s.Locked(t =>
            {
                var count = t.Results.Remove(runId, out var results) ? (long)results.Count : 0L;
                if (count > 0)
                {
                    s.Advance(t, ChangeScope.Run(runId));
                }

                return count;
            });
            if (deleted > 0)
            {
                s.Advanced(ChangeScope.Run(runId));
            }

            return ValueTask.FromResult(deleted);
        }

        public ValueTask<long> DeleteRunAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            var tenant = s.Tenant;
            var removed = false;
            var deleted = s.Locked(t =>
            {
                if (t.Runs.Remove(runId))
                {
                    removed = true;
                    Remove(t, ChangeScope.Run(runId));
                    s.Advance(t, ChangeScope.Runs, ChangeScope.Epoch);
                }

                return t.Results.Remove(runId, out var results) ? (long)results.Count : 0L;
            });
            if (removed)
            {
                s.Advanced(ChangeScope.Run(runId), ChangeScope.Runs, ChangeScope.Epoch);
            }

            ((InMemoryRunShardStorage)s.Shards).DeleteRun(tenant, runId);
            return ValueTask.FromResult(deleted);
        }

        public ValueTask<long> DeleteCachedResponsesOlderThanAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(s.Locked(t =>
            {
                var old = t.Cache.Where(e => e.Value.CreatedAt < before).Select(e => e.Key).ToList();
                foreach (var key in old)
                {
                    t.Cache.Remove(key);
                }

                return (long)old.Count;
            }));
    }
}
