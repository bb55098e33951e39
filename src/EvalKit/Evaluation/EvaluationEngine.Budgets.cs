using EvalKit.Projects;
using EvalKit.Registry;
using EvalKit.Scoring;
using EvalKit.Security;
using Microsoft.Extensions.Logging;

namespace EvalKit.Evaluation;

/// <content>
/// Projects and budgets. A run names its project (which must exist in the tenant); when the project has a budget, the
/// engine checks it when the run is created or resumed (its estimate against what is left of the hard limit), and while it
/// runs: each model call first reserves its expected cost (the run's estimate per call, or the average known cost of the
/// session's calls so far when that is higher) and is refused when spending would exceed the hard limit, and each
/// result's known cost (the call's and its scorers') replaces the reservation. Reaching the soft limit raises a
/// <see cref="BudgetAlert"/> (observers, a log warning and an audit entry) once per run session. Scorer usage without a
/// cost is priced here from the registry.
/// </content>
public sealed partial class EvaluationEngine
{
    private CostEstimator? _estimator;

    private CostEstimator Estimator => _estimator ??= new CostEstimator(_storage);

    /// <summary>Finds the project a request names.</summary>
    /// <param name="projectId">The project id, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The project, or <see langword="null"/> when none is named.</returns>
    /// <exception cref="NotFoundException">No project of the tenant has that id.</exception>
    private async ValueTask<Project?> ProjectOfAsync(string? projectId, CancellationToken cancellationToken) =>
        projectId is null
            ? null
            : await _storage.Projects.GetAsync(projectId, cancellationToken).ConfigureAwait(false)
                ?? throw new NotFoundException($"No project with id '{projectId}' exists in the store; create it with IProjectService.CreateAsync before running in it.");

    /// <summary>
    /// Checks a run against its project's hard limit before it starts or resumes: its estimate for the results still to
    /// produce must fit in what is left. A run whose cost cannot be estimated (a model without pricing) is let through.
    /// </summary>
    /// <param name="project">The run's project.</param>
    /// <param name="run">The run.</param>
    /// <param name="model">Its model.</param>
    /// <param name="calls">The results still to produce.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The spending so far and the estimate, or <see langword="null"/> without a budget.</returns>
    /// <exception cref="BudgetExceededException">The estimate would exceed the hard limit.</exception>
    private async Task<(BudgetStatus Status, CostEstimate Estimate)?> CheckBudgetAsync(
        Project? project, EvaluationRun run, ModelDescriptor model, long calls, CancellationToken cancellationToken)
    {
        if (project?.Budget is not { } budget)
        {
            return null;
        }

        var status = await ProjectSpending.StatusAsync(_storage, project, _time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        var estimate = await Estimator.EstimateAsync(run, model, calls, cancellationToken).ConfigureAwait(false);
        if (estimate.TotalCost is not { } cost)
        {
            LogBudgetUnchecked(run.Id, project.Id, model.Id);
        }
        else if (budget.HardLimit is { } hard && status.Spent + cost > hard)
        {
            var exceeded = new BudgetExceededException(project.Id, hard, status.Spent, cost, budget.Period, status.PeriodStart, run.Id);
            await AlertAsync(BudgetAlertKind.HardLimitReached, project, budget, hard, status.Spent, cost, status.PeriodStart, run.Id).ConfigureAwait(false);
            throw exceeded;
        }

        return (status, estimate);
    }

    /// <summary>Opens the budget a run session (or shard) spends from, after checking it as <see cref="CheckBudgetAsync"/> does.</summary>
    /// <param name="run">The run.</param>
    /// <param name="model">Its model.</param>
    /// <param name="calls">The results this session will produce.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The budget, or <see langword="null"/> when the run's project has none.</returns>
    private async Task<RunBudget?> OpenBudgetAsync(EvaluationRun run, ModelDescriptor model, long calls, CancellationToken cancellationToken)
    {
        if (run.ProjectId is null)
        {
            return null;
        }

        var project = await _storage.Projects.GetAsync(run.ProjectId, cancellationToken).ConfigureAwait(false);
        if (await CheckBudgetAsync(project, run, model, calls, cancellationToken).ConfigureAwait(false) is not var (status, estimate))
        {
            return null;
        }

        var budget = new RunBudget(this, project!, project!.Budget!, run.Id, status.Spent, status.PeriodStart,
            estimate.TotalCost is { } total && estimate.Calls > 0 ? total / estimate.Calls : 0);
        if (budget.Budget.SoftLimit is { } soft && status.Spent >= soft)
        {
            await budget.AlertSoftLimitAsync(status.Spent).ConfigureAwait(false);
        }

        return budget;
    }

    /// <summary>Prices the usage that scorers recorded without a cost, from the registered pricing of the model they name.</summary>
    /// <param name="call">The run's call setup (its pricing cache).</param>
    /// <param name="scores">The scores.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The scores, priced where possible.</returns>
    private async Task<List<Score>> PriceAsync(CallSetup call, List<Score> scores, CancellationToken cancellationToken)
    {
        for (var i = 0; i < scores.Count; i++)
        {
            if (scores[i].Usage is not { } usage || !usage.Any(u => u.Cost is null && u.ModelId is not null))
            {
                continue;
            }

            var priced = new ScoreUsage[usage.Count];
            for (var j = 0; j < usage.Count; j++)
            {
                var entry = usage[j];
                if (entry.Cost is null && entry.ModelId is { } modelId)
                {
                    if (!call.Prices.TryGetValue(modelId, out var pricing))
                    {
                        pricing = (await _registry.GetAsync(modelId, cancellationToken).ConfigureAwait(false))?.Pricing;
                        call.Prices[modelId] = pricing;
                    }

                    entry = entry with { Cost = pricing?.Cost(entry.InputTokens, entry.OutputTokens) };
                }

                priced[j] = entry;
            }

            scores[i] = scores[i] with { Usage = priced };
        }

        return scores;
    }

    /// <summary>The known cost of a result: its call's and its scorers'.</summary>
    private static decimal KnownCost(CaseResult result)
    {
        var cost = result.Cost ?? 0;
        foreach (var score in result.Scores)
        {
            foreach (var usage in score.Usage ?? [])
            {
                cost += usage.Cost ?? 0;
            }
        }

        return cost;
    }

    private async Task AlertAsync(
        BudgetAlertKind kind, Project project, ProjectBudget budget, decimal limit, decimal spent, decimal? estimate, DateTimeOffset? periodStart, string runId)
    {
        var alert = new BudgetAlert
        {
            Kind = kind,
            ProjectId = project.Id,
            RunId = runId,
            Budget = budget,
            Limit = limit,
            Spent = spent,
            Estimate = estimate,
            PeriodStart = periodStart,
            OccurredAt = _time.GetUtcNow(),
        };
        if (kind == BudgetAlertKind.SoftLimitReached)
        {
            LogSoftLimitReached(project.Id, spent, limit, runId);

            // A refused or stopped run is audited as the evaluation that failed; reaching the soft limit has an entry of its own.
            await _guard.AuditAsync(
                _guard.Describe(EvalKitOperationKinds.ProjectBudgetSoftLimit, EvalKitRecordTypes.Project, project.Id), AuditOutcome.Succeeded, error: null, count: null).ConfigureAwait(false);
        }
        else
        {
            LogHardLimitReached(project.Id, spent, estimate ?? 0, limit, runId);
        }

        foreach (var observer in _budgetObservers)
        {
            try
            {
                await observer.OnBudgetAlertAsync(alert, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // An observer never stops a run.
                LogBudgetObserverFailed(project.Id, kind, e);
            }
        }
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Warning, Message = "Project {ProjectId} reached its soft budget limit: spent {Spent} of {Limit} (run {RunId})")]
    private partial void LogSoftLimitReached(string projectId, decimal spent, decimal limit, string runId);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Project {ProjectId} hit its hard budget limit: spent {Spent}, estimate {Estimate}, limit {Limit}; run {RunId} refused or stopped")]
    private partial void LogHardLimitReached(string projectId, decimal spent, decimal estimate, decimal limit, string runId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "The budget of project {ProjectId} cannot be checked for run {RunId}: the cost of model {ModelId} is unknown (no pricing)")]
    private partial void LogBudgetUnchecked(string runId, string projectId, string modelId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "A budget observer of project {ProjectId} failed on {Kind}")]
    private partial void LogBudgetObserverFailed(string projectId, BudgetAlertKind kind, Exception exception);

    /// <summary>
    /// What one run session spends from its project's budget: the spending before it, the known cost of its results, and the
    /// expected cost of the calls in flight. Thread-safe.
    /// </summary>
    private sealed class RunBudget(
        EvaluationEngine engine, Project project, ProjectBudget budget, string runId, decimal spentBefore, DateTimeOffset? periodStart, decimal estimatePerCall)
    {
        private readonly Lock _gate = new();
        private decimal _spent = spentBefore;
        private decimal _reserved;
        private decimal _calledCost;
        private long _called;
        private bool _stopped;
        private int _softAlerted;

        public ProjectBudget Budget => budget;

        /// <summary>Reserves the expected cost of one call: the run's estimate per call, or what its calls cost on average so far when that is more.</summary>
        /// <returns>The amount reserved.</returns>
        /// <exception cref="BudgetExceededException">The call would exceed the hard limit; the run stops.</exception>
        public async ValueTask<decimal> ReserveAsync()
        {
            decimal spent, next;
            bool first;
            lock (_gate)
            {
                next = _called == 0 ? estimatePerCall : Math.Max(estimatePerCall, _calledCost / _called);
                if (!_stopped && (budget.HardLimit is not { } hard || _spent + _reserved + next <= hard))
                {
                    _reserved += next;
                    return next;
                }

                first = !_stopped;
                _stopped = true;
                spent = _spent;
            }

            var limit = budget.HardLimit!.Value;
            if (first)
            {
                await engine.AlertAsync(BudgetAlertKind.HardLimitReached, project, budget, limit, spent, next, periodStart, runId).ConfigureAwait(false);
            }

            throw new BudgetExceededException(project.Id, limit, spent, next, budget.Period, periodStart, runId);
        }

        /// <summary>Replaces a reservation with the result's known cost, and alerts once when spending reaches the soft limit.</summary>
        /// <param name="reserved">The amount reserved for the call.</param>
        /// <param name="cost">The result's known cost.</param>
        /// <param name="called">Whether the model was called (not a cached answer): its cost then counts in the average per call.</param>
        /// <returns>A task that completes when any alert is raised.</returns>
        public async ValueTask SettleAsync(decimal reserved, decimal cost, bool called)
        {
            decimal spent;
            lock (_gate)
            {
                _reserved -= reserved;
                _spent += cost;
                spent = _spent;
                if (called)
                {
                    _called++;
                    _calledCost += cost;
                }
            }

            if (budget.SoftLimit is { } soft && spent >= soft)
            {
                await AlertSoftLimitAsync(spent).ConfigureAwait(false);
            }
        }

        public async ValueTask AlertSoftLimitAsync(decimal spent)
        {
            if (Interlocked.Exchange(ref _softAlerted, 1) == 0)
            {
                await engine.AlertAsync(BudgetAlertKind.SoftLimitReached, project, budget, budget.SoftLimit!.Value, spent, null, periodStart, runId).ConfigureAwait(false);
            }
        }
    }
}
