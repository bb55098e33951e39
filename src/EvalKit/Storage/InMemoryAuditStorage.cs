using EvalKit.Security;

namespace EvalKit.Storage;

/// <summary>The in-memory audit log: entries per tenant in append order, under one lock.</summary>
internal sealed class InMemoryAuditStorage : IAuditStorage
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<AuditEntry>> _entries = new(StringComparer.Ordinal);
    private long _lastId;

    public ValueTask<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default)
    {
        AuditChecks.Entry(entry, nameof(entry));
        lock (_gate)
        {
            var id = ++_lastId;
            if (!_entries.TryGetValue(entry.TenantId, out var list))
            {
                _entries[entry.TenantId] = list = [];
            }

            list.Add(entry with { Id = id });
            return ValueTask.FromResult(id);
        }
    }

    public ValueTask<AuditPage> QueryAsync(string tenantId, AuditQuery query, CancellationToken cancellationToken = default)
    {
        AuditChecks.Query(tenantId, query);
        List<AuditEntry> matching;
        lock (_gate)
        {
            matching = _entries.TryGetValue(tenantId, out var list) ? [.. list.Where(e => AuditChecks.Matches(e, query))] : [];
        }

        var page = matching
            .OrderByDescending(e => e.OccurredAt)
            .ThenByDescending(e => e.Id)
            .Take(query.PageSize + 1)
            .ToList();
        return ValueTask.FromResult(AuditChecks.Page(page, query.PageSize));
    }

    public ValueTask<long> DeleteOlderThanAsync(string tenantId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        EvalKitTenant.Validate(tenantId, nameof(tenantId));
        lock (_gate)
        {
            return ValueTask.FromResult(_entries.TryGetValue(tenantId, out var list) ? (long)list.RemoveAll(e => e.OccurredAt < before) : 0L);
        }
    }
}
