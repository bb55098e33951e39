namespace EvalKit.Security;

/// <summary>Where a page of audit entries ended: the next page holds the entries older than this one (see <see cref="AuditQuery.After"/>).</summary>
/// <param name="OccurredAt">The <see cref="AuditEntry.OccurredAt"/> of the last entry of the page.</param>
/// <param name="Id">The <see cref="AuditEntry.Id"/> of the last entry of the page.</param>
public readonly record struct AuditCursor(DateTimeOffset OccurredAt, long Id)
{
    /// <summary>Gets the cursor just after an entry.</summary>
    /// <param name="entry">The entry.</param>
    /// <returns>The cursor.</returns>
    public static AuditCursor Of(AuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return new(entry.OccurredAt, entry.Id);
    }
}
