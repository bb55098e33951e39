namespace EvalKit.Statistics;

/// <summary>
/// Comparisons indexed for fitting: models in order of first appearance (as FastChat's <c>pd.unique</c>), the distinct
/// model pairs, and for each battle its (pair, outcome) cell, so a bootstrap resample is just a vector of cell counts.
/// </summary>
internal sealed class BradleyTerryProblem
{
    private BradleyTerryProblem(string[] models, int[] pairI, int[] pairJ, int[] battleTriple, int[] battleCounts, BradleyTerryOptions options)
    {
        Models = models;
        PairI = pairI;
        PairJ = pairJ;
        BattleTriple = battleTriple;
        BattleCounts = battleCounts;
        Options = options;
        LogBase = Math.Log(options.Base);
        TripleCounts = new double[pairI.Length * 3];
        foreach (var t in battleTriple)
        {
            TripleCounts[t]++;
        }
    }

    public string[] Models { get; }

    /// <summary>Gets the first model of each distinct pair (the lower index).</summary>
    public int[] PairI { get; }

    /// <summary>Gets the second model of each distinct pair.</summary>
    public int[] PairJ { get; }

    /// <summary>Gets, per battle, <c>3 · pair + cell</c> with cell 0 = PairI won, 1 = tie, 2 = PairJ won.</summary>
    public int[] BattleTriple { get; }

    public int[] BattleCounts { get; }

    public double[] TripleCounts { get; }

    public BradleyTerryOptions Options { get; }

    public double LogBase { get; }

    public static BradleyTerryProblem Create(IReadOnlyList<BradleyTerryComparison> comparisons, BradleyTerryOptions options)
    {
        ArgumentNullException.ThrowIfNull(comparisons);
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.Scale > 0) || double.IsPositiveInfinity(options.Scale))
        {
            throw new ArgumentException("The rating scale must be positive and finite.", nameof(options));
        }

        if (!(options.Base > 1) || double.IsPositiveInfinity(options.Base))
        {
            throw new ArgumentException("The odds base must be greater than 1 and finite.", nameof(options));
        }

        if (!double.IsFinite(options.InitialRating) || !double.IsFinite(options.AnchorRating))
        {
            throw new ArgumentException("The initial and anchor ratings must be finite.", nameof(options));
        }

        if (!(options.Regularization >= 0) || double.IsPositiveInfinity(options.Regularization))
        {
            throw new ArgumentException("The regularization must be non-negative and finite.", nameof(options));
        }

        if (comparisons.Count == 0)
        {
            throw new ArgumentException("There are no comparisons.", nameof(comparisons));
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var models = new List<string>();
        var pairs = new Dictionary<(int, int), int>();
        var pairI = new List<int>();
        var pairJ = new List<int>();
        var battleTriple = new int[comparisons.Count];
        var battleCounts = new List<int>();
        for (var c = 0; c < comparisons.Count; c++)
        {
            var comparison = comparisons[c];
            if (comparison.ModelA is null || comparison.ModelB is null)
            {
                throw new ArgumentNullException(nameof(comparisons), $"Comparison {c} has a null model id.");
            }

            if (string.Equals(comparison.ModelA, comparison.ModelB, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Comparison {c} compares model '{comparison.ModelA}' with itself.", nameof(comparisons));
            }

            var a = IndexOf(comparison.ModelA);
            var b = IndexOf(comparison.ModelB);
            battleCounts[a]++;
            battleCounts[b]++;
            var (i, j) = a < b ? (a, b) : (b, a);
            if (!pairs.TryGetValue((i, j), out var pair))
            {
                pair = pairI.Count;
                pairs[(i, j)] = pair;
                pairI.Add(i);
                pairJ.Add(j);
            }

            var iWon = a == i ? BradleyTerryOutcome.ModelAWins : BradleyTerryOutcome.ModelBWins;
            var cell = comparison.Outcome switch
            {
                BradleyTerryOutcome.Tie => 1,
                BradleyTerryOutcome.ModelAWins or BradleyTerryOutcome.ModelBWins => comparison.Outcome == iWon ? 0 : 2,
                _ => throw new ArgumentException($"Comparison {c} has an unknown outcome {comparison.Outcome}.", nameof(comparisons)),
            };
            battleTriple[c] = (3 * pair) + cell;
        }

        if (models.Count < 2)
        {
            throw new ArgumentException("The comparisons involve fewer than two models.", nameof(comparisons));
        }

        if (options.AnchorModel is not null && !index.ContainsKey(options.AnchorModel))
        {
            throw new ArgumentException($"The anchor model '{options.AnchorModel}' does not appear in the comparisons.", nameof(options));
        }

        return new BradleyTerryProblem(models.ToArray(), pairI.ToArray(), pairJ.ToArray(), battleTriple, battleCounts.ToArray(), options);

        int IndexOf(string model)
        {
            if (!index.TryGetValue(model, out var value))
            {
                value = models.Count;
                index[model] = value;
                models.Add(model);
                battleCounts.Add(0);
            }

            return value;
        }
    }

    /// <summary>Per pair: the win weight of <see cref="PairI"/> (wins + half the ties) and the number of battles.</summary>
    public (double[] Wins, double[] Totals) PairWeights(double[] tripleCounts)
    {
        var wins = new double[PairI.Length];
        var totals = new double[PairI.Length];
        for (var k = 0; k < wins.Length; k++)
        {
            var iWins = tripleCounts[3 * k];
            var ties = tripleCounts[(3 * k) + 1];
            var jWins = tripleCounts[(3 * k) + 2];
            wins[k] = iWins + (0.5 * ties);
            totals[k] = iWins + ties + jWins;
        }

        return (wins, totals);
    }

    /// <summary>Converts θ to ratings: <c>Scale · (θ - mean θ) + InitialRating</c>, then shifted to the anchor if any.</summary>
    public double[] ToRatings(double[] theta)
    {
        var mean = theta.Average();
        var ratings = new double[theta.Length];
        for (var i = 0; i < theta.Length; i++)
        {
            ratings[i] = (Options.Scale * (theta[i] - mean)) + Options.InitialRating;
        }

        if (Options.AnchorModel is not null)
        {
            var shift = Options.AnchorRating - ratings[Array.IndexOf(Models, Options.AnchorModel)];
            for (var i = 0; i < ratings.Length; i++)
            {
                ratings[i] += shift;
            }
        }

        return ratings;
    }
}
