namespace EvalKit.Security;

/// <summary>One page of audit entries, newest first.</summary>
/// <param name="Entries">The entries of the page.</param>
/// <param name="Next">Where the next page starts (pass it as <see cref="AuditQuery.After"/>), or <see langword="null"/> when this is the last page.</param>
public sealed record AuditPage(IReadOnlyList<AuditEntry> Entries, AuditCursor? Next);
