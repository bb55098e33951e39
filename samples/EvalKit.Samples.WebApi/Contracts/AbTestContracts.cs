using EvalKit.Comparisons;

namespace EvalKit.Samples.WebApi.Contracts;

/// <summary>The body of <c>POST /ab-tests</c>: two or more models on one benchmark.</summary>
internal sealed class AbTestBody
{
    /// <summary>Gets the test id to use; generated when left out.</summary>
    public string? Id { get; init; }

    /// <summary>Gets the name shown in reports.</summary>
    public string? Name { get; init; }

    /// <summary>Gets the models to compare; two or more, distinct. The first is "A".</summary>
    public IReadOnlyList<string?>? ModelIds { get; init; }

    /// <summary>Gets the benchmark every model is evaluated on.</summary>
    public string? BenchmarkId { get; init; }

    /// <summary>Gets the deciding metric; the benchmark's primary metric when left out.</summary>
    public string? PrimaryMetric { get; init; }

    /// <summary>Gets the significance level, in (0, 1); 0.05 when left out.</summary>
    public double? Alpha { get; init; }

    /// <summary>Gets the design: <c>paired</c> (default) or <c>unpaired</c>.</summary>
    public AbTestDesign? Design { get; init; }

    /// <summary>Gets the multiplicity correction: <c>holm</c> (default), <c>bonferroni</c>, <c>benjamini_hochberg</c> or <c>none</c>.</summary>
    public PValueCorrection? Correction { get; init; }

    /// <summary>Gets the options of every run.</summary>
    public OptionsBody? Options { get; init; }
}

/// <summary>An A/B test, as the API shows it.</summary>
internal sealed record AbTestView(
    string Id,
    string Name,
    IReadOnlyList<string> ModelIds,
    string BenchmarkId,
    string? PrimaryMetric,
    double Alpha,
    AbTestDesign Design,
    PValueCorrection Correction,
    AbTestStatus Status,
    bool Executing,
    IReadOnlyDictionary<string, string> RunIds,
    DateTimeOffset CreatedAt,
    DateTimeOffset? CompletedAt,
    string? Error)
{
    /// <summary>Shows a test.</summary>
    /// <param name="test">The stored test.</param>
    /// <param name="executing">Whether this host is executing it now.</param>
    /// <returns>The view.</returns>
    public static AbTestView From(AbTest test, bool executing) => new(
        test.Id,
        test.Definition.Name,
        test.Definition.ModelIds,
        test.Definition.BenchmarkId,
        test.Definition.PrimaryMetric,
        test.Definition.Alpha,
        test.Definition.Design,
        test.Definition.Correction,
        test.Status,
        executing,
        new SortedDictionary<string, string>(test.RunIds.ToDictionary(), StringComparer.Ordinal),
        test.CreatedAt,
        test.CompletedAt,
        test.Error);
}
