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

    /// <summary>
    /// Replaces the record id of a tenant's entries that name one of <paramref name="recordIds"/> (or of every entry with a
    /// record id, when <see langword="null"/>) with <see cref="AuditEntry.ErasedRecordId"/>; returns how many changed (erasure).
    /// </summary>
    internal long Scrub(string tenantId, IReadOnlyCollection<string>? recordIds)
    {
        var ids = recordIds is null ? null : new HashSet<string>(recordIds, StringComparer.Ordinal);
        lock (_gate)
        {
            if (!_entries.TryGetValue(tenantId, out var list))
            {
                return 0;
            }

            long scrubbed = 0;
            for (var i = 0; i < list.Count; i++)
            {
                if (list[i].RecordId is { } id && id != AuditEntry.ErasedRecordId && (ids is null || ids.Contains(id)))
                {
                    list[i] = list[i] with { RecordId = AuditEntry.ErasedRecordId };
                    scrubbed++;
                }
            }

            return scrubbed;
        }
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
