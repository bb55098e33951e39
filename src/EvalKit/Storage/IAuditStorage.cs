using EvalKit.Security;

namespace EvalKit.Storage;

/// <summary>
/// Stores the audit log: append-only entries, each with the tenant it belongs to. Every read and delete names the tenant
/// and touches that tenant's entries only. There is no update and no delete of one entry; the only delete is by age,
/// and only retention calls it.
/// </summary>
public interface IAuditStorage
{
    /// <summary>Appends an entry. Its <see cref="AuditEntry.Id"/> is ignored: the store assigns the next one.</summary>
    /// <param name="entry">The entry; its tenant must be a valid tenant id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The id assigned to the entry.</returns>
    /// <exception cref="ArgumentException">The entry is invalid (a blank or over-long name, an invalid tenant, an unknown outcome, a negative count); nothing is stored.</exception>
    /// <exception cref="StorageException">The store failed.</exception>
    ValueTask<long> AppendAsync(AuditEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Reads one page of a tenant's entries that match a query, newest first (by time, then id).</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="query">The filters, page size and cursor.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The page; its <see cref="AuditPage.Next"/> is set when more entries match.</returns>
    /// <exception cref="ArgumentException">The tenant or the query is invalid.</exception>
    ValueTask<AuditPage> QueryAsync(string tenantId, AuditQuery query, CancellationToken cancellationToken = default);

    /// <summary>Deletes a tenant's entries that occurred before a cut-off. Used by retention only.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="before">The exclusive cut-off.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The number of entries deleted.</returns>
    /// <exception cref="ArgumentException">The tenant is invalid.</exception>
    ValueTask<long> DeleteOlderThanAsync(string tenantId, DateTimeOffset before, CancellationToken cancellationToken = default);
}
