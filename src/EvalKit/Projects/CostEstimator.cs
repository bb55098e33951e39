using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage;

namespace EvalKit.Projects;

/// <summary>
/// Estimates what a run costs: the model's average tokens per call in its recent completed runs (on the same dataset when
/// there are any), else the prompts' length (four characters per token) and the output limit; times the calls and the
/// model's pricing; plus the scorers' cost per answer in recent runs with the same scorers.
/// </summary>
internal sealed class CostEstimator(IEvalKitStorage storage)
{
    /// <summary>The most recent runs an estimate reads.</summary>
    public const int HistoryRuns = 10;

    /// <summary>The most cases whose prompts are measured when there is no history.</summary>
    public const int SampledCases = 1000;

    /// <summary>Estimates the cost of <paramref name="calls"/> results of a run.</summary>
    /// <param name="run">The run (stored or about to be).</param>
    /// <param name="model">Its model.</param>
    /// <param name="calls">The results still to produce.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The estimate.</returns>
    public async Task<CostEstimate> EstimateAsync(EvaluationRun run, ModelDescriptor model, long calls, CancellationToken cancellationToken)
    {
        double input = 0, output = 0;
        var basis = CostEstimateBasis.PromptLength;
        var historyRuns = 0;
        decimal scorerCost = 0;
        var scorerFromHistory = false;

        var history = await HistoryAsync(run, cancellationToken).ConfigureAwait(false);
        if (history.Count > 0)
        {
            var byRun = new Dictionary<string, RunUsage>(StringComparer.Ordinal);
            await foreach (var row in storage.Usage.AggregateAsync(new UsageQuery { RunIds = [.. history.Select(r => r.Id)] }, cancellationToken).ConfigureAwait(false))
            {
                byRun[row.RunId] = row;
            }

            var evaluation = byRun.Values.Aggregate(UsageTotals.Empty, (sum, row) => sum + row.Evaluation);
            var withUsage = evaluation.Calls - evaluation.CallsWithoutUsage;
            if (withUsage > 0)
            {
                input = (double)evaluation.InputTokens / withUsage;
                output = (double)evaluation.OutputTokens / withUsage;
                basis = CostEstimateBasis.History;
                historyRuns = history.Count;
            }

            // Scorer calls depend on the scorers: only runs with the same ones say what they cost per answer.
            long answers = 0;
            decimal scoring = 0;
            foreach (var past in history.Where(r => r.Scorers.SequenceEqual(run.Scorers, StringComparer.Ordinal)))
            {
                if (byRun.TryGetValue(past.Id, out var row))
                {
                    answers += row.Evaluation.Calls + row.Evaluation.CachedCalls;
                    scoring += row.Judge.Cost + row.Embedding.Cost;
                }
            }

            if (answers > 0)
            {
                scorerCost = scoring / answers * calls;
                scorerFromHistory = true;
            }
        }

        if (basis == CostEstimateBasis.PromptLength)
        {
            input = await PromptTokensAsync(run, cancellationToken).ConfigureAwait(false);
            output = run.Options.MaxOutputTokens ?? CostEstimate.AssumedOutputTokens;
        }

        decimal? evaluationCost = model.Pricing is { } pricing
            ? calls * (((decimal)input * pricing.InputPerMillionTokens) + ((decimal)output * pricing.OutputPerMillionTokens)) / 1_000_000m
            : null;
        return new CostEstimate
        {
            ModelId = model.Id,
            Calls = calls,
            InputTokensPerCall = input,
            OutputTokensPerCall = output,
            Basis = basis,
            HistoryRuns = historyRuns,
            EvaluationCost = evaluationCost,
            ScorerCost = scorerCost,
            ScorerCostFromHistory = scorerFromHistory,
            Currency = model.Pricing?.Currency,
        };
    }

    // The model's latest completed runs on the run's dataset, else on any dataset.
    private async Task<List<EvaluationRun>> HistoryAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        foreach (var datasetId in (string?[])[run.DatasetId, null])
        {
            var runs = new List<EvaluationRun>();
            await foreach (var past in storage.Runs.ListAsync(run.ModelId, datasetId, cancellationToken).ConfigureAwait(false))
            {
                if (past.Status == RunStatus.Completed && past.Id != run.Id)
                {
                    runs.Add(past);
                    if (runs.Count == HistoryRuns)
                    {
                        break;
                    }
                }
            }

            if (runs.Count > 0)
            {
                return runs;
            }
        }

        return [];
    }

    // About four characters per token, over the rendered prompts (system prompt, examples and case) of the first cases.
    private async Task<double> PromptTokensAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        long characters = 0;
        var cases = 0;
        await foreach (var item in storage.Datasets.ReadCasesAsync(run.DatasetId, 0, cancellationToken).ConfigureAwait(false))
        {
            foreach (var message in EvaluationEngine.BuildMessages(run, item.Case))
            {
                characters += message.Text.Length;
            }

            if (++cases == SampledCases)
            {
                break;
            }
        }

        return cases == 0 ? 0 : characters / 4.0 / cases;
    }
}
