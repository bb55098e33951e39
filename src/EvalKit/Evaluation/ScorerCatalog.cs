using EvalKit.Scoring;

namespace EvalKit.Evaluation;

/// <summary>The scorers a run can name: every <see cref="IScorer"/> registered with EvalKit, plus exact match.</summary>
public sealed class ScorerCatalog
{
    private readonly Dictionary<string, IScorer> _scorers = new(StringComparer.Ordinal);

    /// <summary>Initializes a new instance of the <see cref="ScorerCatalog"/> class.</summary>
    /// <param name="scorers">The registered scorers; a later scorer with the same name replaces an earlier one.</param>
    public ScorerCatalog(IEnumerable<IScorer> scorers)
    {
        ArgumentNullException.ThrowIfNull(scorers);
        _scorers[ExactMatchScorer.DefaultName] = new ExactMatchScorer();
        foreach (var scorer in scorers)
        {
            _scorers[scorer.Name] = scorer;
        }
    }

    /// <summary>Gets the names of the known scorers.</summary>
    public IEnumerable<string> Names => _scorers.Keys;

    /// <summary>Finds a scorer by name.</summary>
    /// <param name="name">The name.</param>
    /// <param name="scorer">The scorer, when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGet(string name, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IScorer? scorer) => _scorers.TryGetValue(name, out scorer);
}
