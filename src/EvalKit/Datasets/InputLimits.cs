using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Text;

namespace EvalKit.Datasets;

/// <summary>
/// The bounds EvalKit puts on what it reads from files and streams (datasets, benchmark suite files) and on the cases it
/// imports, so that a hostile or broken input fails fast with a <see cref="DatasetFormatException"/> naming the file, line,
/// field and the limit, instead of exhausting memory or disk. The defaults are generous: a streamed import of millions of
/// ordinary cases stays far below every one of them.
/// </summary>
/// <remarks>
/// <para>Set them per call (the <c>limits</c> parameters of <see cref="Datasets"/>, <see cref="BenchmarkSuiteFileOptions.Limits"/>)
/// or for a host (<see cref="EvalKitOptions.InputLimits"/>, which <see cref="DatasetStore"/> applies to every import).</para>
/// <para>Lengths of ids, names and metadata are in UTF-16 characters (<see cref="string.Length"/>); sizes of lines, cases,
/// files and datasets are in UTF-8 bytes.</para>
/// </remarks>
public sealed class InputLimits
{
    internal static readonly InputLimits Default = new();

    /// <summary>Gets or sets the largest case: the UTF-8 bytes of its input (the text, or the content of every chat turn) and of all its references.</summary>
    /// <value>The default value is 16 MiB (16,777,216 bytes).</value>
    [Range(1, int.MaxValue)]
    public int MaxCaseBytes { get; set; } = 16 << 20;

    /// <summary>Gets or sets the largest dataset file or stream, in bytes read (a leading byte-order mark included).</summary>
    /// <value>The default value is 4 GiB (4,294,967,296 bytes).</value>
    [Range(1, long.MaxValue)]
    public long MaxDatasetBytes { get; set; } = 4L << 30;

    /// <summary>Gets or sets the most cases a dataset may have.</summary>
    /// <value>The default value is 10,000,000.</value>
    [Range(1, long.MaxValue)]
    public long MaxCases { get; set; } = 10_000_000;

    /// <summary>
    /// Gets or sets the longest line of a JSONL or CSV file, CSV row (a quoted cell may span lines) or element of a JSON array, in
    /// bytes. It bounds the memory a streamed read holds at once.
    /// </summary>
    /// <value>The default value is 64 MiB (67,108,864 bytes).</value>
    [Range(1, int.MaxValue)]
    public int MaxLineBytes { get; set; } = 64 << 20;

    /// <summary>Gets or sets the longest case id and group id, in characters.</summary>
    /// <value>The default value is 1,024.</value>
    [Range(1, int.MaxValue)]
    public int MaxIdLength { get; set; } = 1_024;

    /// <summary>
    /// Gets or sets the longest name, in characters: a dataset's name and version, a suite's id, name and version, scorer and
    /// metric names, field-mapping names.
    /// </summary>
    /// <value>The default value is 256.</value>
    [Range(1, int.MaxValue)]
    public int MaxNameLength { get; set; } = 256;

    /// <summary>Gets or sets the most metadata entries a case may have.</summary>
    /// <value>The default value is 1,024.</value>
    [Range(0, int.MaxValue)]
    public int MaxMetadataEntries { get; set; } = 1_024;

    /// <summary>Gets or sets the longest metadata key of a case, in characters.</summary>
    /// <value>The default value is 256.</value>
    [Range(1, int.MaxValue)]
    public int MaxMetadataKeyLength { get; set; } = 256;

    /// <summary>Gets or sets the longest metadata value of a case, in characters.</summary>
    /// <value>The default value is 1 Mi characters (1,048,576).</value>
    [Range(0, int.MaxValue)]
    public int MaxMetadataValueLength { get; set; } = 1 << 20;

    /// <summary>Gets or sets the deepest nesting of JSON objects and arrays (a JSONL line, a JSON array element counting the array, a CSV messages cell, a suite file).</summary>
    /// <value>The default value is 64.</value>
    [Range(1, 1_000)]
    public int MaxDepth { get; set; } = 64;

    /// <summary>Gets or sets the largest benchmark suite file, in bytes (a suite file is read whole; its dataset file is streamed).</summary>
    /// <value>The default value is 4 MiB (4,194,304 bytes).</value>
    [Range(1, int.MaxValue)]
    public int MaxSuiteFileBytes { get; set; } = 4 << 20;

    /// <summary>Checks the limits and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">A limit is out of range; the message names each one.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        Positive(MaxCaseBytes, nameof(MaxCaseBytes));
        Positive(MaxDatasetBytes, nameof(MaxDatasetBytes));
        Positive(MaxCases, nameof(MaxCases));
        Positive(MaxLineBytes, nameof(MaxLineBytes));
        Positive(MaxIdLength, nameof(MaxIdLength));
        Positive(MaxNameLength, nameof(MaxNameLength));
        Positive(MaxMetadataKeyLength, nameof(MaxMetadataKeyLength));
        Positive(MaxSuiteFileBytes, nameof(MaxSuiteFileBytes));
        if (MaxMetadataEntries < 0)
        {
            problems.Add($"{nameof(MaxMetadataEntries)} must not be negative (was {MaxMetadataEntries}).");
        }

        if (MaxMetadataValueLength < 0)
        {
            problems.Add($"{nameof(MaxMetadataValueLength)} must not be negative (was {MaxMetadataValueLength}).");
        }

        if (MaxDepth is < 1 or > 1_000)
        {
            problems.Add($"{nameof(MaxDepth)} must lie in [1, 1000] (was {MaxDepth}).");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid input limits: " + string.Join(" ", problems));
        }

        void Positive(long value, string name)
        {
            if (value < 1)
            {
                problems.Add($"{name} must be at least 1 (was {value}).");
            }
        }
    }

    /// <summary>Creates a copy, so a reader keeps the limits it started with.</summary>
    /// <returns>The copy.</returns>
    internal InputLimits Snapshot()
    {
        Validate();
        return (InputLimits)MemberwiseClone();
    }

    internal static InputLimits Resolve(InputLimits? limits) => limits is null ? Default : limits.Snapshot();

    internal static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>Checks one case against the per-case limits.</summary>
    /// <param name="item">The case.</param>
    /// <param name="source">The file or stream, for errors.</param>
    /// <param name="line">The line the case starts on, for errors.</param>
    /// <param name="mapping">The field names, for errors.</param>
    /// <param name="csv">Whether metadata come from CSV columns (named alone) rather than a JSON object (named <c>metadata.key</c>).</param>
    /// <exception cref="DatasetFormatException">A limit is exceeded.</exception>
    internal void CheckCase(EvalCase item, string? source, long? line, DatasetFieldMapping mapping, bool csv = false)
    {
        CheckLength(item.Id, MaxIdLength, nameof(MaxIdLength), "The case id", source, line, mapping.Id);
        if (item.Group is { } group)
        {
            CheckLength(group, MaxIdLength, nameof(MaxIdLength), "The group id", source, line, mapping.Group);
        }

        if (item.Metadata.Count > MaxMetadataEntries)
        {
            throw new DatasetFormatException(
                $"The case has {Number(item.Metadata.Count)} metadata entries; the limit is {Number(MaxMetadataEntries)} ({nameof(InputLimits)}.{nameof(MaxMetadataEntries)}).",
                source, line, csv ? null : mapping.Metadata);
        }

        foreach (var (key, value) in item.Metadata)
        {
            var field = csv ? Shorten(key) : $"{mapping.Metadata}.{Shorten(key)}";
            CheckLength(key, MaxMetadataKeyLength, nameof(MaxMetadataKeyLength), "The metadata key", source, line, field);
            CheckLength(value, MaxMetadataValueLength, nameof(MaxMetadataValueLength), "The metadata value", source, line, field);
        }

        var bytes = CaseBytes(item, MaxCaseBytes);
        if (bytes > MaxCaseBytes)
        {
            throw new DatasetFormatException(
                $"The case '{Shorten(item.Id)}' is {Number(bytes)} bytes (input and references, UTF-8); the limit is {Number(MaxCaseBytes)} ({nameof(InputLimits)}.{nameof(MaxCaseBytes)}).",
                source, line, item.Input.Messages is null ? mapping.Input : mapping.Messages);
        }
    }

    /// <summary>Checks a name's length.</summary>
    /// <exception cref="DatasetFormatException">The name is longer than <see cref="MaxNameLength"/>.</exception>
    internal void CheckName(string? value, string what, string? source, long? line, string? field, long? column = null)
    {
        if (value is not null && value.Length > MaxNameLength)
        {
            throw new DatasetFormatException(
                $"{what} is {Number(value.Length)} characters long; the limit is {Number(MaxNameLength)} ({nameof(InputLimits)}.{nameof(MaxNameLength)}).",
                source, line, field, column);
        }
    }

    internal DatasetFormatException CasesExceeded(string? source, long? line) =>
        new($"The dataset has more than {Number(MaxCases)} cases ({nameof(InputLimits)}.{nameof(MaxCases)}).", source, line, null);

    internal DatasetFormatException DatasetTooLarge(string? source, long line) =>
        new($"The dataset is larger than {Number(MaxDatasetBytes)} bytes ({nameof(InputLimits)}.{nameof(MaxDatasetBytes)}).", source, line, null);

    internal DatasetFormatException LineTooLong(string what, string? source, long line) =>
        new($"The {what} is longer than {Number(MaxLineBytes)} bytes ({nameof(InputLimits)}.{nameof(MaxLineBytes)}).", source, line, null);

    /// <summary>Turns a JSON depth failure into a message that names the limit; other JSON failures keep their own message.</summary>
    internal string Describe(System.Text.Json.JsonException e) =>
        e.Message.Contains("maximum", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("depth", StringComparison.OrdinalIgnoreCase)
            && e.Message.Contains(MaxDepth.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            ? $"The JSON nests deeper than {MaxDepth} levels ({nameof(InputLimits)}.{nameof(MaxDepth)})."
            : e.Message;

    private static void CheckLength(string value, int max, string limit, string what, string? source, long? line, string field)
    {
        if (value.Length > max)
        {
            throw new DatasetFormatException(
                $"{what} is {Number(value.Length)} characters long; the limit is {Number(max)} ({nameof(InputLimits)}.{limit}).", source, line, field);
        }
    }

    /// <summary>Counts the UTF-8 bytes of the input and references, stopping early once past the limit.</summary>
    private static long CaseBytes(EvalCase item, int max)
    {
        long chars = item.Input.Text?.Length ?? 0;
        if (item.Input.Messages is { } turns)
        {
            foreach (var turn in turns)
            {
                chars += turn.Text.Length;
            }
        }

        foreach (var reference in item.References)
        {
            chars += reference.Length;
        }

        // A UTF-16 character is at most 3 UTF-8 bytes (a surrogate pair, two characters, is 4): the exact count is only
        // needed when the text could be over the limit.
        if (chars * 3 <= max)
        {
            return chars * 3;
        }

        long bytes = Count(item.Input.Text);
        foreach (var turn in item.Input.Messages ?? [])
        {
            bytes += Count(turn.Text);
            if (bytes > max)
            {
                return bytes;
            }
        }

        foreach (var reference in item.References)
        {
            bytes += Count(reference);
            if (bytes > max)
            {
                return bytes;
            }
        }

        return bytes;

        static long Count(string? text) => text is null ? 0 : Encoding.UTF8.GetByteCount(text);
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
