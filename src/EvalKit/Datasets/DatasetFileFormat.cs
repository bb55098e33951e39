namespace EvalKit.Datasets;

/// <summary>The file formats <see cref="Datasets"/> reads.</summary>
public enum DatasetFileFormat
{
    /// <summary>JSON Lines: one case object per line (<c>.jsonl</c>).</summary>
    Jsonl,

    /// <summary>A JSON array of case objects (<c>.json</c>).</summary>
    Json,

    /// <summary>Comma-separated values with a header row (<c>.csv</c>).</summary>
    Csv,
}
