namespace EvalKit.Datasets;

/// <summary>
/// Names the fields (JSON properties or CSV columns) a dataset file uses for each part of a case, so files with other
/// field names load without being rewritten: <c>new DatasetFieldMapping { Input = "question", Reference = "answer" }</c>.
/// </summary>
/// <remarks>
/// <para>JSON and JSONL: each case is an object; <see cref="Input"/> holds a string, or <see cref="Messages"/> an array of
/// <c>{"role", "content"}</c> objects; <see cref="Reference"/> a string and <see cref="References"/> an array of strings
/// (both may be given; their values are joined); <see cref="Metadata"/> an object of strings, numbers or booleans.</para>
/// <para>CSV: the header row names the columns. <see cref="Input"/> is a column of text, or <see cref="Messages"/> a column
/// holding the JSON array of turns. References come from the column <see cref="Reference"/>, then the columns
/// <c>reference_2</c>, <c>reference_3</c>… (the <see cref="Reference"/> name, an underscore and a number, in number
/// order), then the column <see cref="References"/> split on <see cref="ReferenceSeparator"/>; empty cells give no
/// reference. Metadata are the columns in <see cref="MetadataColumns"/>, or, when it is <see langword="null"/>, every
/// column not used for another part of the case. An empty id cell gives the default id; an empty group cell no group.</para>
/// </remarks>
public sealed record DatasetFieldMapping
{
    private readonly IReadOnlyList<string>? _metadataColumns;

    /// <summary>Gets the mapping that uses the default field names.</summary>
    public static DatasetFieldMapping Default { get; } = new();

    /// <summary>Gets the field holding the case id; a case without one gets its line number (JSON: its 1-based position in the array).</summary>
    /// <value>The default value is <c>"id"</c>.</value>
    public string Id { get; init; } = "id";

    /// <summary>Gets the field holding the plain-text input.</summary>
    /// <value>The default value is <c>"input"</c>.</value>
    public string Input { get; init; } = "input";

    /// <summary>Gets the field holding a chat input: an array of <c>{"role", "content"}</c> objects (in CSV, that array as JSON text).</summary>
    /// <value>The default value is <c>"messages"</c>.</value>
    public string Messages { get; init; } = "messages";

    /// <summary>Gets the field holding one reference answer.</summary>
    /// <value>The default value is <c>"reference"</c>.</value>
    public string Reference { get; init; } = "reference";

    /// <summary>Gets the field holding several reference answers (JSON: an array of strings; CSV: a list split on <see cref="ReferenceSeparator"/>).</summary>
    /// <value>The default value is <c>"references"</c>.</value>
    public string References { get; init; } = "references";

    /// <summary>Gets the field holding the group (cluster) id.</summary>
    /// <value>The default value is <c>"group"</c>.</value>
    public string Group { get; init; } = "group";

    /// <summary>Gets the JSON property holding the metadata object (JSON and JSONL only).</summary>
    /// <value>The default value is <c>"metadata"</c>.</value>
    public string Metadata { get; init; } = "metadata";

    /// <summary>Gets the CSV columns copied into a case's metadata, or <see langword="null"/> for every column not used for another part of the case.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyList<string>? MetadataColumns
    {
        get => _metadataColumns;
        init => _metadataColumns = value is null ? null : [.. value];
    }

    /// <summary>Gets the text that separates the answers in the CSV <see cref="References"/> column.</summary>
    /// <value>The default value is <c>"|"</c>.</value>
    public string ReferenceSeparator { get; init; } = "|";

    /// <summary>Gets the character that separates CSV columns.</summary>
    /// <value>The default value is <c>','</c>.</value>
    public char CsvDelimiter { get; init; } = ',';

    /// <summary>Checks that every field name is set.</summary>
    /// <exception cref="ArgumentException">A field name is empty; the message names it.</exception>
    public void Validate()
    {
        Check(Id, nameof(Id));
        Check(Input, nameof(Input));
        Check(Messages, nameof(Messages));
        Check(Reference, nameof(Reference));
        Check(References, nameof(References));
        Check(Group, nameof(Group));
        Check(Metadata, nameof(Metadata));
        if (string.IsNullOrEmpty(ReferenceSeparator))
        {
            throw new ArgumentException($"The mapping's {nameof(ReferenceSeparator)} must not be empty.", nameof(ReferenceSeparator));
        }

        if (CsvDelimiter is '"' or '\n' or '\r')
        {
            throw new ArgumentException($"The mapping's {nameof(CsvDelimiter)} cannot be a quote or a line break.", nameof(CsvDelimiter));
        }

        if (MetadataColumns is not null && MetadataColumns.Any(string.IsNullOrWhiteSpace))
        {
            throw new ArgumentException($"The mapping's {nameof(MetadataColumns)} has an empty column name.", nameof(MetadataColumns));
        }

        static void Check(string value, string name)
        {
            if (string.IsNullOrWhiteSpace(value))
            {
                throw new ArgumentException($"The mapping's {name} field name must not be empty.", name);
            }
        }
    }

    /// <inheritdoc/>
    public bool Equals(DatasetFieldMapping? other) =>
        other is not null
        && Id == other.Id && Input == other.Input && Messages == other.Messages && Reference == other.Reference
        && References == other.References && Group == other.Group && Metadata == other.Metadata
        && ReferenceSeparator == other.ReferenceSeparator && CsvDelimiter == other.CsvDelimiter
        && (MetadataColumns is null ? other.MetadataColumns is null : other.MetadataColumns is not null && MetadataColumns.SequenceEqual(other.MetadataColumns));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Id, Input, Messages, Reference, References, Group, Metadata);
}
