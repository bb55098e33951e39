namespace EvalKit;

/// <summary>Shared empty, read-only instances for records whose collections are usually empty.</summary>
internal static class Empty
{
    public static readonly IReadOnlyDictionary<string, string> StringDictionary = new Dictionary<string, string>(StringComparer.Ordinal).AsReadOnly();

    public static readonly IReadOnlySet<string> StringSet = new HashSet<string>(StringComparer.Ordinal).AsReadOnly();
}
