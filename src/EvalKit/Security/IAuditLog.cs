namespace EvalKit.Security;

/// <summary>
/// Reads the audit log of the current tenant: every mutating operation of EvalKit's services, who did it, when, on which
/// record and how it ended (succeeded, denied, failed). The log is written by the services themselves; it has no API to
/// change or delete an entry (only retention deletes entries older than its cut-off).
/// </summary>
public interface IAuditLog
{
    /// <summary>Reads one page of the current tenant's audit entries, newest first.</summary>
    /// <param name="query">The filters, page size and where the previous page ended.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The page.</returns>
    /// <exception cref="ArgumentException">The query is invalid.</exception>
    /// <exception cref="NotSupportedException">The store keeps no audit log.</exception>
    ValueTask<AuditPage> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}
