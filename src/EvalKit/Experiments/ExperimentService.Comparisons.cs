using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Storage;

namespace EvalKit.Experiments;

/// <content>Run comparisons and the regression gate.</content>
public sealed partial class ExperimentService
{
    /// <inheritdoc/>
    public async Task<RunComparison> CompareRunsAsync(IReadOnlyList<string> runIds, RunComparisonOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        options ??= new RunComparisonOptions();
        var distinct = runIds.Where(id => !string.IsNullOrWhiteSpace(id)).Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count < 2 || distinct.Count != runIds.Count)
        {
            throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"A comparison needs at least two distinct, non-empty run ids; got {runIds.Count} with {distinct.Count} distinct."), nameof(runIds));
        }

        RunAnalysis.Validate(options.Alpha, options.Correction, options.PassThreshold, nameof(options));
        if (_cache is { CanValidate: true })
        {
            // Only completed runs are compared, and a completed run changes only through its record, whose counter moves.
            return await _cache.GetOrCreateAsync(
                Caching.CacheKind.Run,
                "comparison",
                string.Join('\n', distinct) + "\n" + Caching.CacheArgs.Of(options),
                [.. distinct.Select(ChangeScope.Run)],
                (Service: this, RunIds: distinct, Options: options),
                static (s, ct) => new ValueTask<RunComparison>(s.Service.CompareCoreAsync(s.RunIds, s.Options, ct)),
                cacheable: null,
                cancellationToken).ConfigureAwait(false);
        }

        return await CompareCoreAsync(distinct, options, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RunComparison> CompareCoreAsync(List<string> distinct, RunComparisonOptions options, CancellationToken cancellationToken)
    {
        var runs = await LoadCompletedRunsAsync(distinct, cancellationToken).ConfigureAwait(false);
        var labels = RunLabels.For(runs, options.Labels);
        var loaded = new List<RunAnalysis.LoadedRun>();
        for (var i = 0; i < runs.Count; i++)
        {
            loaded.Add(new RunAnalysis.LoadedRun(labels[i], runs[i], await ReadResultsAsync(runs[i].Id, cancellationToken).ConfigureAwait(false)));
        }

        return RunAnalysis.Compare(loaded, options);
    }

    /// <inheritdoc/>
    public async Task<RegressionGateResult> CheckRegressionAsync(RegressionGate gate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(gate);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(gate.BaselineRunId) || string.IsNullOrWhiteSpace(gate.CandidateRunId))
        {
            problems.Add("The gate needs a baseline and a candidate run id.");
        }
        else if (gate.BaselineRunId == gate.CandidateRunId)
        {
            problems.Add($"The baseline and the candidate are the same run '{gate.BaselineRunId}'.");
        }

        problems.AddRange(RunAnalysis.Problems(gate.Alpha, Comparisons.PValueCorrection.None, gate.PassThreshold));
        if (gate.MinimumScore is { } min && !double.IsFinite(min))
        {
            problems.Add("The minimum score must be a finite number.");
        }

        if (gate.MaximumDecrease is { } drop && !(double.IsFinite(drop) && drop >= 0))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The maximum decrease must be a finite number >= 0; got {drop}."));
        }

        if (gate.MaximumErrorRate is { } rate && !(rate >= 0 && rate <= 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"The maximum error rate must be in [0, 1]; got {rate}."));
        }

        if (gate.Metric is not null && string.IsNullOrWhiteSpace(gate.Metric))
        {
            problems.Add("The metric is empty; leave it null to use the baseline's primary metric.");
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"The regression gate is invalid: {string.Join(" ", problems)}", nameof(gate));
        }

        if (_cache is { CanValidate: true })
        {
            return await _cache.GetOrCreateAsync(
                Caching.CacheKind.Run,
                "regression",
                Caching.CacheArgs.Of(gate),
                [ChangeScope.Run(gate.BaselineRunId), ChangeScope.Run(gate.CandidateRunId)],
                (Service: this, Gate: gate),
                static (s, ct) => new ValueTask<RegressionGateResult>(s.Service.CheckCoreAsync(s.Gate, ct)),
                cacheable: null,
                cancellationToken).ConfigureAwait(false);
        }

        return await CheckCoreAsync(gate, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RegressionGateResult> CheckCoreAsync(RegressionGate gate, CancellationToken cancellationToken)
    {
        var runs = await LoadCompletedRunsAsync([gate.BaselineRunId, gate.CandidateRunId], cancellationToken).ConfigureAwait(false);
        var baseline = new RunAnalysis.LoadedRun("baseline", runs[0], await ReadResultsAsync(runs[0].Id, cancellationToken).ConfigureAwait(false));
        var candidate = new RunAnalysis.LoadedRun("candidate", runs[1], await ReadResultsAsync(runs[1].Id, cancellationToken).ConfigureAwait(false));
        return RunAnalysis.Gate(gate, baseline, candidate);
    }

    /// <inheritdoc/>
    public async Task<RegressionGateResult> EnsureNoRegressionAsync(RegressionGate gate, CancellationToken cancellationToken = default)
    {
        var result = await CheckRegressionAsync(gate, cancellationToken).ConfigureAwait(false);
        return result.Passed ? result : throw new RegressionException(result);
    }

    private async Task<List<EvaluationRun>> LoadCompletedRunsAsync(IReadOnlyList<string> runIds, CancellationToken cancellationToken)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var runs = new List<EvaluationRun>();
        var missing = new List<string>();
        foreach (var id in runIds)
        {
            var run = await _storage.Runs.GetAsync(id, cancellationToken).ConfigureAwait(false);
            if (run is null)
            {
                missing.Add($"'{id}'");
            }
            else
            {
                runs.Add(run);
            }
        }

        if (missing.Count > 0)
        {
            throw new NotFoundException($"No run with id {string.Join(", ", missing)} exists in the store.");
        }

        var unfinished = runs.Where(r => r.Status != RunStatus.Completed).ToList();
        if (unfinished.Count > 0)
        {
            throw new InvalidOperationException(
                $"Only completed runs can be compared: {string.Join(", ", unfinished.Select(r => $"run '{r.Id}' ({r.ModelId}) is {r.Status}"))}; resume them first (IEvaluationEngine.ResumeAsync).");
        }

        return runs;
    }
}
