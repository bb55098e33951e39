namespace EvalKit.Datasets;

/// <summary>How <see cref="BenchmarkSuiteFile"/> reads a suite file: the input limits, and the scorers a suite may name.</summary>
public sealed class BenchmarkSuiteFileOptions
{
    private IReadOnlyCollection<string>? _knownScorers;

    /// <summary>Gets or sets the input limits, applied to the suite file and, through <see cref="BenchmarkSuiteDataset.Limits"/>, to its dataset file.</summary>
    /// <value>The default value is <see langword="null"/>: the defaults of <see cref="InputLimits"/>.</value>
    public InputLimits? Limits { get; set; }

    /// <summary>
    /// Gets or sets the scorer names the suite may use (such as <see cref="Evaluation.ScorerCatalog.Names"/>); a name not in it
    /// is an error naming the file, line and entry. <see langword="null"/> accepts any well-formed name (the engine checks
    /// the names when a run starts).
    /// </summary>
    /// <value>The default value is <see langword="null"/>.</value>
    public IReadOnlyCollection<string>? KnownScorers
    {
        get => _knownScorers;
        set => _knownScorers = value is null ? null : [.. value];
    }
}
