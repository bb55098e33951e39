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
            return ValueTask.FromResult(s.Locked(t => t.Results.Remove(runId, out var results) ? (long)results.Count : 0L));
        }

        public ValueTask<long> DeleteRunAsync(string runId, CancellationToken cancellationToken = default)
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(runId);
            var tenant = s.Tenant;
            var deleted = s.Locked(t =>
            {
                t.Runs.Remove(runId);
                return t.Results.Remove(runId, out var results) ? (long)results.Count : 0L;
            });
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
