using System.Runtime.CompilerServices;

namespace EvalKit.Datasets;

/// <content>The JSON-array and CSV loaders.</content>
public static partial class Datasets
{
    /// <summary>Loads a file holding a JSON array of case objects into memory.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="name">The dataset name; the file name without extension when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, the line the element starts on, the element's position and the field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static Dataset LoadJson(string path, DatasetFieldMapping? mapping = null, string? name = null, string version = "1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return LoadJson(stream, name ?? Path.GetFileNameWithoutExtension(path), mapping, version, path);
    }

    /// <summary>Loads a JSON array of case objects from a stream into memory.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed; the message names the source, line, element and field.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static Dataset LoadJson(Stream stream, string name, DatasetFieldMapping? mapping = null, string version = "1", string? source = null) =>
        LoadJson(stream, name, mapping, version, source, InputLimits.Default);

    private static Dataset LoadJson(Stream stream, string name, DatasetFieldMapping? mapping, string version, string? source, InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var cases = new List<EvalCase>();
        using var reader = new JsonArrayCaseReader(stream, source, Checked(mapping), limits);
        while (reader.Read() is { } item)
        {
            cases.Add(item);
        }

        var dataset = new Dataset(name, version, cases);
        EnsureValid(dataset.Cases, source);
        return dataset;
    }

    /// <summary>Streams the cases of a file holding a JSON array of case objects, one element at a time.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in array order.</returns>
    /// <exception cref="DatasetFormatException">An element is malformed or repeats an earlier id; the message names the file, line, element and field.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static async IAsyncEnumerable<EvalCase> ReadJsonAsync(string path, DatasetFieldMapping? mapping = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = OpenAsync(path);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var item in ReadJsonAsync(stream, mapping, path, InputLimits.Default, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    /// <summary>Streams the cases of a JSON array of case objects read from a stream, one element at a time.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="mapping">The field names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in array order.</returns>
    /// <exception cref="DatasetFormatException">An element is malformed or repeats an earlier id; the message names the source, line, element and field.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static IAsyncEnumerable<EvalCase> ReadJsonAsync(Stream stream, DatasetFieldMapping? mapping = null, string? source = null, CancellationToken cancellationToken = default) =>
        ReadJsonAsync(stream, mapping, source, InputLimits.Default, cancellationToken);

    private static async IAsyncEnumerable<EvalCase> ReadJsonAsync(Stream stream, DatasetFieldMapping? mapping, string? source, InputLimits limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = new JsonArrayCaseReader(stream, source, Checked(mapping), limits);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } item)
        {
            yield return item;
        }
    }

    /// <summary>Loads a CSV file with a header row into memory (parsed by Sep; see <see cref="DatasetFieldMapping"/> for the columns).</summary>
    /// <param name="path">The file path.</param>
    /// <param name="mapping">The column names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="name">The dataset name; the file name without extension when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <returns>The dataset.</returns>
    /// <remarks>Quoted fields may hold the delimiter, doubled quotes and line breaks (read as <c>\n</c>); the id defaults to the line the row starts on.</remarks>
    /// <exception cref="DatasetFormatException">The file is malformed; the message names the file, line and column.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static Dataset LoadCsv(string path, DatasetFieldMapping? mapping = null, string? name = null, string version = "1")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var stream = File.OpenRead(path);
        return LoadCsv(stream, name ?? Path.GetFileNameWithoutExtension(path), mapping, version, path);
    }

    /// <summary>Loads CSV with a header row from a stream into memory.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="name">The dataset name.</param>
    /// <param name="mapping">The column names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="version">The dataset version.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <returns>The dataset.</returns>
    /// <exception cref="DatasetFormatException">The content is malformed; the message names the source, line and column.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static Dataset LoadCsv(Stream stream, string name, DatasetFieldMapping? mapping = null, string version = "1", string? source = null) =>
        LoadCsv(stream, name, mapping, version, source, InputLimits.Default);

    private static Dataset LoadCsv(Stream stream, string name, DatasetFieldMapping? mapping, string version, string? source, InputLimits limits)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var cases = new List<EvalCase>();
        using var reader = CsvCaseReader.Open(stream, source, Checked(mapping), limits);
        while (reader.Read() is { } item)
        {
            cases.Add(item);
        }

        var dataset = new Dataset(name, version, cases);
        EnsureValid(dataset.Cases, source);
        return dataset;
    }

    /// <summary>Streams the cases of a CSV file with a header row, one row at a time.</summary>
    /// <param name="path">The file path.</param>
    /// <param name="mapping">The column names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in file order.</returns>
    /// <exception cref="DatasetFormatException">A row is malformed or repeats an earlier id; the message names the file, line and column.</exception>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static async IAsyncEnumerable<EvalCase> ReadCsvAsync(string path, DatasetFieldMapping? mapping = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var stream = OpenAsync(path);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var item in ReadCsvAsync(stream, mapping, path, InputLimits.Default, cancellationToken).ConfigureAwait(false))
            {
                yield return item;
            }
        }
    }

    /// <summary>Streams the cases of CSV with a header row read from a stream, one row at a time.</summary>
    /// <param name="stream">The stream (not disposed).</param>
    /// <param name="mapping">The column names; <see cref="DatasetFieldMapping.Default"/> when <see langword="null"/>.</param>
    /// <param name="source">The name used in error messages.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The cases, in stream order.</returns>
    /// <exception cref="DatasetFormatException">A row is malformed or repeats an earlier id; the message names the source, line and column.</exception>
    /// <exception cref="ArgumentException">The mapping has an empty field name.</exception>
    public static IAsyncEnumerable<EvalCase> ReadCsvAsync(Stream stream, DatasetFieldMapping? mapping = null, string? source = null, CancellationToken cancellationToken = default) =>
        ReadCsvAsync(stream, mapping, source, InputLimits.Default, cancellationToken);

    private static async IAsyncEnumerable<EvalCase> ReadCsvAsync(Stream stream, DatasetFieldMapping? mapping, string? source, InputLimits limits, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var reader = await CsvCaseReader.OpenAsync(stream, source, Checked(mapping), limits, cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } item)
        {
            yield return item;
        }
    }
}
