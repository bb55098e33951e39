namespace EvalKit.Statistics;

/// <summary>
/// Bradley–Terry ratings from pairwise comparisons, as Chatbot Arena computes them (FastChat
/// <c>fastchat/serve/monitor/elo_analysis.py</c>, <c>compute_elo_mle_with_tie</c>): the maximum-likelihood estimate of
/// <c>P(i beats j) = σ(ln(Base) · (θ_i - θ_j))</c> with ties counted as half a win for each side, reported as
/// <c>R = Scale · θ + InitialRating</c> with the θ centred on zero (or shifted so an anchor model has a given rating);
/// bootstrap intervals resample battles with replacement.
/// </summary>
/// <remarks>
/// <para>
/// FastChat minimises the same loss with L-BFGS-B from θ = 0 and stops at a gradient tolerance of 1e-6 (at most 100
/// iterations); its iterates keep the mean of θ at zero, so its unanchored ratings have mean 1000 as here. EvalKit solves
/// the likelihood equations by Newton's method (iteratively reweighted least squares) to machine precision, so its
/// ratings are the exact MLE that FastChat's approximate to about 1e-6 in θ (≈ 4e-4 rating points).
/// </para>
/// <para>
/// The MLE exists only when the "beats" graph is strongly connected: every split of the models into two groups has a
/// win or tie in each direction. Otherwise <see cref="Fit"/> throws unless <see cref="BradleyTerryOptions.Regularization"/>
/// is positive. The older sklearn-based fit in FastChat (<c>LogisticRegression(fit_intercept=False)</c> with its default
/// L2 penalty) is not reproduced; set a regularization to approximate a penalised fit.
/// </para>
/// </remarks>
public static class BradleyTerry
{
    private const double FallbackRidgePerBattle = 1e-4;

    /// <summary>Fits the ratings by maximum likelihood.</summary>
    /// <param name="comparisons">The comparisons; at least one, between at least two models.</param>
    /// <param name="options">The scale and fitting options; <see langword="null"/> for Chatbot Arena's defaults.</param>
    /// <returns>The ratings.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="comparisons"/> or a model id is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// No comparisons, a comparison of a model with itself, an unknown outcome, an anchor model that never appears, invalid
    /// options, or (without regularization) comparisons for which the maximum-likelihood estimate does not exist.
    /// </exception>
    public static BradleyTerryRatings Fit(IReadOnlyList<BradleyTerryComparison> comparisons, BradleyTerryOptions? options = null)
    {
        options ??= new BradleyTerryOptions();
        var problem = BradleyTerryProblem.Create(comparisons, options);
        var (wins, totals) = problem.PairWeights(problem.TripleCounts);
        var lambda = options.Regularization;
        if (lambda == 0 && !StronglyConnected(problem.Models.Length, problem.PairI, problem.PairJ, wins, totals))
        {
            throw new ArgumentException(
                "The Bradley–Terry maximum-likelihood ratings do not exist: some group of models never loses (or never wins) "
                + "against the others. Add comparisons or set BradleyTerryOptions.Regularization.",
                nameof(comparisons));
        }

        var theta = new double[problem.Models.Length];
        var iterations = Newton(problem, wins, totals, lambda, theta);
        var ratings = problem.ToRatings(theta);
        var dictionary = new Dictionary<string, double>(StringComparer.Ordinal);
        var battles = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < ratings.Length; i++)
        {
            dictionary[problem.Models[i]] = ratings[i];
            battles[problem.Models[i]] = problem.BattleCounts[i];
        }

        return new BradleyTerryRatings(dictionary, Order(problem.Models, ratings), battles, comparisons.Count, iterations);
    }

    /// <summary>
    /// Fits the ratings and bootstraps them: each resample draws as many battles as there are, with replacement (FastChat
    /// draws the same distribution as multinomial counts of the distinct outcomes), and refits. Reports percentile
    /// intervals, bootstrap medians, Chatbot Arena's interval rank and the range of bootstrap ranks.
    /// </summary>
    /// <param name="comparisons">The comparisons; as for <see cref="Fit"/>.</param>
    /// <param name="resamples">The number of bootstrap resamples; at least 2 (FastChat uses 100 to 1,000).</param>
    /// <param name="seed">The seed; the same seed gives the same leaderboard on every platform.</param>
    /// <param name="confidence">The confidence level, in (0, 1).</param>
    /// <param name="options">The scale and fitting options; <see langword="null"/> for Chatbot Arena's defaults.</param>
    /// <returns>The leaderboard, best model first.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="comparisons"/> or a model id is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">As for <see cref="Fit"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="resamples"/> is below 2 or <paramref name="confidence"/> is not in (0, 1).</exception>
    public static BradleyTerryLeaderboard Bootstrap(IReadOnlyList<BradleyTerryComparison> comparisons, int resamples, int seed, double confidence = 0.95, BradleyTerryOptions? options = null)
    {
        if (resamples < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(resamples), resamples, "At least two resamples are needed.");
        }

        ConfidenceIntervalsDistributions.ValidateConfidence(confidence, nameof(confidence));
        options ??= new BradleyTerryOptions();
        var point = Fit(comparisons, options);
        var problem = BradleyTerryProblem.Create(comparisons, options);
        var p = problem.Models.Length;
        var (pointWins, pointTotals) = problem.PairWeights(problem.TripleCounts);
        var start = new double[p];
        Newton(problem, pointWins, pointTotals, options.Regularization, start);

        var samples = new double[p][];
        var ranks = new double[p][];
        for (var i = 0; i < p; i++)
        {
            samples[i] = new double[resamples];
            ranks[i] = new double[resamples];
        }

        var random = BootstrapRandom.ForStream(seed, -1);
        var counts = new double[problem.TripleCounts.Length];
        var theta = new double[p];
        var n = problem.BattleTriple.Length;
        var regularized = 0;
        for (var r = 0; r < resamples; r++)
        {
            Array.Clear(counts);
            for (var k = 0; k < n; k++)
            {
                counts[problem.BattleTriple[random.NextIndex(n)]]++;
            }

            var (wins, totals) = problem.PairWeights(counts);
            var lambda = options.Regularization;
            if (!StronglyConnected(p, problem.PairI, problem.PairJ, wins, totals))
            {
                lambda = Math.Max(lambda, FallbackRidgePerBattle * n);
                regularized++;
            }

            Array.Copy(start, theta, p);
            Newton(problem, wins, totals, lambda, theta);
            var rating = problem.ToRatings(theta);
            for (var i = 0; i < p; i++)
            {
                samples[i][r] = rating[i];
                var rank = 1;
                for (var j = 0; j < p; j++)
                {
                    if (rating[j] > rating[i])
                    {
                        rank++;
                    }
                }

                ranks[i][r] = rank;
            }
        }

        var alpha = (1 - confidence) / 2;
        var lower = new double[p];
        var upper = new double[p];
        var medians = new double[p];
        var rankLower = new int[p];
        var rankUpper = new int[p];
        for (var i = 0; i < p; i++)
        {
            Array.Sort(samples[i]);
            Array.Sort(ranks[i]);
            lower[i] = Descriptive.PercentileOfSorted(samples[i], alpha * 100);
            upper[i] = Descriptive.PercentileOfSorted(samples[i], (1 - alpha) * 100);
            medians[i] = Descriptive.PercentileOfSorted(samples[i], 50);
            rankLower[i] = (int)Math.Floor(Descriptive.PercentileOfSorted(ranks[i], alpha * 100));
            rankUpper[i] = (int)Math.Ceiling(Descriptive.PercentileOfSorted(ranks[i], (1 - alpha) * 100));
        }

        var entries = new List<BradleyTerryEntry>(p);
        for (var i = 0; i < p; i++)
        {
            var rank = 1;
            for (var j = 0; j < p; j++)
            {
                if (j != i && lower[j] > upper[i])
                {
                    rank++;
                }
            }

            var model = problem.Models[i];
            entries.Add(new BradleyTerryEntry(
                model, point.Ratings[model], new Interval(lower[i], upper[i]), medians[i], rank, rankLower[i], rankUpper[i], problem.BattleCounts[i]));
        }

        entries.Sort((x, y) => y.Rating != x.Rating ? y.Rating.CompareTo(x.Rating) : string.CompareOrdinal(x.Model, y.Model));
        return new BradleyTerryLeaderboard(entries, resamples, confidence, regularized);
    }

    private static string[] Order(string[] models, double[] ratings)
    {
        var order = Enumerable.Range(0, models.Length).ToArray();
        Array.Sort(order, (x, y) => ratings[y] != ratings[x] ? ratings[y].CompareTo(ratings[x]) : string.CompareOrdinal(models[x], models[y]));
        return Array.ConvertAll(order, i => models[i]);
    }

    /// <summary>Whether every model can reach every other through "has beaten or tied" edges.</summary>
    internal static bool StronglyConnected(int p, int[] pairI, int[] pairJ, double[] wins, double[] totals)
    {
        var forward = new List<int>[p];
        var backward = new List<int>[p];
        for (var i = 0; i < p; i++)
        {
            forward[i] = [];
            backward[i] = [];
        }

        for (var k = 0; k < pairI.Length; k++)
        {
            if (wins[k] > 0)
            {
                forward[pairI[k]].Add(pairJ[k]);
                backward[pairJ[k]].Add(pairI[k]);
            }

            if (totals[k] - wins[k] > 0)
            {
                forward[pairJ[k]].Add(pairI[k]);
                backward[pairI[k]].Add(pairJ[k]);
            }
        }

        return ReachesAll(forward) && ReachesAll(backward);
    }

    private static bool ReachesAll(List<int>[] edges)
    {
        var seen = new bool[edges.Length];
        var stack = new Stack<int>();
        stack.Push(0);
        seen[0] = true;
        var count = 1;
        while (stack.Count > 0)
        {
            foreach (var next in edges[stack.Pop()])
            {
                if (!seen[next])
                {
                    seen[next] = true;
                    count++;
                    stack.Push(next);
                }
            }
        }

        return count == edges.Length;
    }

    /// <summary>
    /// Newton's method with backtracking on the penalised negative log-likelihood. Without a penalty the last model's θ
    /// is held fixed (the likelihood only sees differences) and the result is centred afterwards.
    /// </summary>
    private static int Newton(BradleyTerryProblem problem, double[] wins, double[] totals, double lambda, double[] theta)
    {
        var p = theta.Length;
        var m = lambda > 0 ? p : p - 1;
        var alpha = problem.LogBase;
        var gradient = new double[p];
        var hessian = new double[m * m];
        var step = new double[m];
        var trial = new double[p];
        var loss = Loss(problem, wins, totals, lambda, theta);
        var iteration = 0;
        for (; iteration < 200; iteration++)
        {
            Array.Clear(gradient);
            Array.Clear(hessian);
            for (var k = 0; k < problem.PairI.Length; k++)
            {
                if (totals[k] == 0)
                {
                    continue;
                }

                int i = problem.PairI[k], j = problem.PairJ[k];
                var prob = Sigmoid(alpha * (theta[i] - theta[j]));
                var g = alpha * ((totals[k] * prob) - wins[k]);
                gradient[i] += g;
                gradient[j] -= g;
                var h = alpha * alpha * totals[k] * prob * (1 - prob);
                if (i < m)
                {
                    hessian[(i * m) + i] += h;
                }

                if (j < m)
                {
                    hessian[(j * m) + j] += h;
                }

                if (i < m && j < m)
                {
                    hessian[(i * m) + j] -= h;
                    hessian[(j * m) + i] -= h;
                }
            }

            for (var i = 0; i < p; i++)
            {
                gradient[i] += lambda * theta[i];
                if (i < m)
                {
                    hessian[(i * m) + i] += lambda;
                }
            }

            for (var i = 0; i < m; i++)
            {
                step[i] = gradient[i];
            }

            if (!CholeskySolve(hessian, step, m))
            {
                break;
            }

            double decrement = 0, largest = 0;
            for (var i = 0; i < m; i++)
            {
                decrement += gradient[i] * step[i];
                largest = Math.Max(largest, Math.Abs(step[i]));
            }

            // Backtracking line search (Armijo); a full step is accepted near the optimum.
            var t = 1.0;
            double trialLoss;
            while (true)
            {
                Array.Copy(theta, trial, p);
                for (var i = 0; i < m; i++)
                {
                    trial[i] -= t * step[i];
                }

                trialLoss = Loss(problem, wins, totals, lambda, trial);
                if (trialLoss <= loss - (1e-4 * t * decrement) || t < 1e-12)
                {
                    break;
                }

                t /= 2;
            }

            if (trialLoss <= loss || t >= 1)
            {
                Array.Copy(trial, theta, p);
                loss = Math.Min(trialLoss, loss);
            }

            if (t * largest < 1e-13 || decrement < 1e-28)
            {
                iteration++;
                break;
            }
        }

        if (lambda == 0)
        {
            var mean = theta.Average();
            for (var i = 0; i < p; i++)
            {
                theta[i] -= mean;
            }
        }

        return iteration;
    }

    private static double Loss(BradleyTerryProblem problem, double[] wins, double[] totals, double lambda, double[] theta)
    {
        double loss = 0;
        for (var k = 0; k < problem.PairI.Length; k++)
        {
            if (totals[k] == 0)
            {
                continue;
            }

            var x = problem.LogBase * (theta[problem.PairI[k]] - theta[problem.PairJ[k]]);
            loss += (wins[k] * Softplus(-x)) + ((totals[k] - wins[k]) * Softplus(x));
        }

        double squares = 0;
        foreach (var v in theta)
        {
            squares += v * v;
        }

        return loss + (0.5 * lambda * squares);
    }

    private static double Softplus(double x) => Math.Max(x, 0) + ConfidenceIntervalsDistributions.Log1P(Math.Exp(-Math.Abs(x)));

    private static double Sigmoid(double x) => x >= 0 ? 1 / (1 + Math.Exp(-x)) : Math.Exp(x) / (1 + Math.Exp(x));

    private static bool CholeskySolve(double[] a, double[] b, int m)
    {
        for (var j = 0; j < m; j++)
        {
            var diagonal = a[(j * m) + j];
            for (var k = 0; k < j; k++)
            {
                diagonal -= a[(j * m) + k] * a[(j * m) + k];
            }

            if (!(diagonal > 0))
            {
                return false;
            }

            var root = Math.Sqrt(diagonal);
            a[(j * m) + j] = root;
            for (var i = j + 1; i < m; i++)
            {
                var sum = a[(i * m) + j];
                for (var k = 0; k < j; k++)
                {
                    sum -= a[(i * m) + k] * a[(j * m) + k];
                }

                a[(i * m) + j] = sum / root;
            }
        }

        for (var i = 0; i < m; i++)
        {
            var sum = b[i];
            for (var k = 0; k < i; k++)
            {
                sum -= a[(i * m) + k] * b[k];
            }

            b[i] = sum / a[(i * m) + i];
        }

        for (var i = m - 1; i >= 0; i--)
        {
            var sum = b[i];
            for (var k = i + 1; k < m; k++)
            {
                sum -= a[(k * m) + i] * b[k];
            }

            b[i] = sum / a[(i * m) + i];
        }

        return true;
    }
}
