using EvalKit.Security;

namespace EvalKit.Storage;

/// <summary>The checks every <see cref="IAuditStorage"/> applies, so that all providers accept and refuse the same entries.</summary>
internal static class AuditChecks
{
    /// <summary>Checks an entry before it is appended.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="paramName">The parameter name to report.</param>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The tenant is invalid, a name is blank or too long, the outcome is unknown, a succeeded entry names an error type, or the count is negative.</exception>
    public static void Entry(AuditEntry entry, string paramName = "entry")
    {
        ArgumentNullException.ThrowIfNull(entry, paramName);
        var problems = new List<string>();
        if (!EvalKitTenant.IsValid(entry.TenantId))
        {
            problems.Add($"'{entry.TenantId}' is not a valid tenant id");
        }

        Name(problems, nameof(AuditEntry.Actor), entry.Actor, required: true, AuditEntry.MaxNameLength);
        Name(problems, nameof(AuditEntry.Operation), entry.Operation, required: true, AuditEntry.MaxNameLength);
        Name(problems, nameof(AuditEntry.RecordType), entry.RecordType, required: true, AuditEntry.MaxNameLength);
        Name(problems, nameof(AuditEntry.RecordId), entry.RecordId, required: false, AuditEntry.MaxRecordIdLength);
        Name(problems, nameof(AuditEntry.ErrorType), entry.ErrorType, required: false, AuditEntry.MaxNameLength);
        if (!Enum.IsDefined(entry.Outcome))
        {
            problems.Add($"unknown outcome {entry.Outcome}");
        }
        else if (entry.Outcome == AuditOutcome.Succeeded && entry.ErrorType is not null)
        {
            problems.Add("a succeeded entry names no error type");
        }

        if (entry.Count is < 0)
        {
            problems.Add("the count is negative");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The audit entry is invalid: {string.Join("; ", problems)}.", paramName);
        }
    }

    /// <summary>Checks a tenant and a query before a read.</summary>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="query">The query.</param>
    /// <exception cref="ArgumentNullException"><paramref name="query"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The tenant or the query is invalid.</exception>
    public static void Query(string tenantId, AuditQuery query)
    {
        EvalKitTenant.Validate(tenantId, nameof(tenantId));
        ArgumentNullException.ThrowIfNull(query);
        query.Validate(nameof(query));
    }

    /// <summary>Tells whether an entry matches a query's filters (not its cursor or page size): the in-memory provider's filter.</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="query">The query.</param>
    /// <returns><see langword="true"/> when every filter of the query matches.</returns>
    public static bool Matches(AuditEntry entry, AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(query);
        return (query.From is not { } from || entry.OccurredAt >= from)
            && (query.To is not { } to || entry.OccurredAt < to)
            && (query.Actor is null || string.Equals(entry.Actor, query.Actor, StringComparison.Ordinal))
            && (query.Operation is null || string.Equals(entry.Operation, query.Operation, StringComparison.Ordinal))
            && (query.RecordType is null || string.Equals(entry.RecordType, query.RecordType, StringComparison.Ordinal))
            && (query.RecordId is null || string.Equals(entry.RecordId, query.RecordId, StringComparison.Ordinal))
            && (query.Outcome is not { } outcome || entry.Outcome == outcome)
            && (query.After is not { } after || entry.OccurredAt < after.OccurredAt || (entry.OccurredAt == after.OccurredAt && entry.Id < after.Id));
    }

    /// <summary>Turns up to one entry more than a page into the page and its continuation.</summary>
    /// <param name="entries">The matching entries, newest first, at most <paramref name="pageSize"/> + 1.</param>
    /// <param name="pageSize">The page size.</param>
    /// <returns>The page.</returns>
    public static AuditPage Page(List<AuditEntry> entries, int pageSize)
    {
        if (entries.Count <= pageSize)
        {
            return new AuditPage(entries, null);
        }

        entries.RemoveRange(pageSize, entries.Count - pageSize);
        return new AuditPage(entries, AuditCursor.Of(entries[^1]));
    }

    private static void Name(List<string> problems, string name, string? value, bool required, int maxLength)
    {
        if (value is null)
        {
            if (required)
            {
                problems.Add($"{name} is missing");
            }
        }
        else if (string.IsNullOrWhiteSpace(value))
        {
            problems.Add($"{name} is blank");
        }
        else if (value.Length > maxLength)
        {
            problems.Add($"{name} is longer than {maxLength} characters");
        }
    }
}
