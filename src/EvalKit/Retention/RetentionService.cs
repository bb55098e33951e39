using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Security;
using EvalKit.Storage;
using Microsoft.Extensions.Options;

namespace EvalKit.Retention;

/// <summary>
/// The retention service over the configured store (see <see cref="IRetentionService"/>). Thread-safe; passes for one
/// tenant should not overlap (the background service runs them one after the other).
/// </summary>
public sealed class RetentionService : IRetentionService
{
    private readonly IEvalKitStorage _storage;
    private readonly TimeProvider _time;
    private readonly RetentionOptions _options;
    private readonly OperationGuard _guard;
    private readonly double _confidence;

    /// <summary>Initializes a new instance of the <see cref="RetentionService"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock: "now", from which the policy's ages count back.</param>
    /// <param name="options">The retention options; the defaults (keep everything) when <see langword="null"/>.</param>
    /// <param name="guard">Authorizes and audits each application; one that allows everything when <see langword="null"/>.</param>
    /// <param name="evalKitOptions">EvalKit's options: the confidence level of the summaries computed for runs that have none.</param>
    /// <exception cref="ArgumentNullException"><paramref name="storage"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public RetentionService(
        IEvalKitStorage storage,
        TimeProvider timeProvider,
        IOptions<RetentionOptions>? options = null,
        OperationGuard? guard = null,
        IOptions<EvalKitOptions>? evalKitOptions = null)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _time = timeProvider;
        _options = options?.Value ?? new RetentionOptions();
        try
        {
            _options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(options), e);
        }

        _guard = guard ?? new OperationGuard(storage, timeProvider);
        _confidence = evalKitOptions?.Value.DefaultConfidenceLevel ?? new EvalKitOptions().DefaultConfidenceLevel;
    }

    /// <inheritdoc/>
    public ValueTask<RetentionReport> ApplyAsync(CancellationToken cancellationToken = default) =>
        ApplyAsync(_options.Policy, cancellationToken);

    /// <inheritdoc/>
    public async ValueTask<RetentionReport> ApplyAsync(RetentionPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(policy);
        try
        {
            policy.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(policy), e);
        }

        var now = _time.GetUtcNow();
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var tenant = _guard.Describe(EvalKitOperationKinds.RetentionApply, EvalKitRecordTypes.Tenant, null).TenantId;
        var apply = await _guard.AuthorizeAsync(EvalKitOperationKinds.RetentionApply, EvalKitRecordTypes.Tenant, tenant, cancellationToken).ConfigureAwait(false);
        var report = new RetentionReport { TenantId = apply.TenantId, AppliedAt = now };

        // The summaries kept for purged runs are computed from their results: read them from the primary, never a replica.
        using var primary = ReadConsistency.RequirePrimary();
        try
        {
            if (policy.CaseResultsMaxAge is { } resultsAge)
            {
                report = await PurgeResultsAsync(apply, report, RetentionPolicy.CutOff(now, resultsAge), policy.KeepRunSummaries, cancellationToken).ConfigureAwait(false);
            }

            if (policy.MetricPointsMaxAge is { } metricsAge)
            {
                var deleted = await _storage.Metrics.DeleteOlderThanAsync(new MetricDeleteQuery { Before = RetentionPolicy.CutOff(now, metricsAge) }, cancellationToken).ConfigureAwait(false);
                report = report with { MetricPoints = deleted };
                await AuditDeletedAsync(apply, EvalKitRecordTypes.MetricPoints, deleted).ConfigureAwait(false);
            }

            if (policy.CachedResponsesMaxAge is { } cacheAge)
            {
                var deleted = await _storage.Retention.DeleteCachedResponsesOlderThanAsync(RetentionPolicy.CutOff(now, cacheAge), cancellationToken).ConfigureAwait(false);
                report = report with { CachedResponses = deleted };
                await AuditDeletedAsync(apply, EvalKitRecordTypes.CachedResponses, deleted).ConfigureAwait(false);
            }

            if (policy.AuditEntriesMaxAge is { } auditAge)
            {
                // Entries are deleted before this pass writes its own, so the record of this deletion is kept.
                var deleted = await _storage.Audit.DeleteOlderThanAsync(apply.TenantId, RetentionPolicy.CutOff(now, auditAge), cancellationToken).ConfigureAwait(false);
                report = report with { AuditEntries = deleted };
                await AuditDeletedAsync(apply, EvalKitRecordTypes.AuditEntries, deleted).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            await _guard.AuditAsync(apply, AuditOutcome.Failed, e, count: null).ConfigureAwait(false);
            throw;
        }

        await _guard.AuditAsync(apply, AuditOutcome.Succeeded, error: null, count: null).ConfigureAwait(false);
        return report;
    }

    private static bool IsFinished(RunStatus status) => status is RunStatus.Completed or RunStatus.Failed or RunStatus.Cancelled;

    // Runs finished before the cut-off lose their per-case results. A kept run first gets its summary (computed from the
    // stored results when it has none) and the purge mark, and only then loses its results: a pass that stops half-way
    // leaves a marked run whose remaining results the next pass deletes, never an unmarked run without results.
    private async Task<RetentionReport> PurgeResultsAsync(EvalKitOperation apply, RetentionReport report, DateTimeOffset cutOff, bool keepSummaries, CancellationToken cancellationToken)
    {
        var due = new List<EvaluationRun>();
        var marked = new List<EvaluationRun>();
        await foreach (var run in _storage.Runs.ListAsync(cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (IsFinished(run.Status) && (run.CompletedAt ?? run.CreatedAt) < cutOff)
            {
                (run.ResultsPurgedAt is null ? due : marked).Add(run);
            }
        }

        long results = 0, purged = 0, deletedRuns = 0;
        foreach (var run in marked)
        {
            // Marked by an earlier pass that stopped before its delete: finish it.
            results += keepSummaries
                ? await _storage.Retention.DeleteResultsAsync(run.Id, cancellationToken).ConfigureAwait(false)
                : await DeleteRunAsync(run, cancellationToken).ConfigureAwait(false);
            deletedRuns += keepSummaries ? 0 : 1;
        }

        foreach (var run in due)
        {
            if (!keepSummaries)
            {
                results += await DeleteRunAsync(run, cancellationToken).ConfigureAwait(false);
                deletedRuns++;
                continue;
            }

            var summary = run.Summary
                ?? await SummaryCalculator.ComputeAsync(_storage.Results.ReadAsync(run.Id, cancellationToken), run, _confidence, cancellationToken).ConfigureAwait(false);
            var kept = run with { Summary = summary, ResultsPurgedAt = report.AppliedAt };

            // Only while the run still has the status it was chosen with: a run resumed meanwhile keeps its results.
            if (!await _storage.Runs.TryUpdateAsync(kept, run.Status, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            results += await _storage.Retention.DeleteResultsAsync(run.Id, cancellationToken).ConfigureAwait(false);
            purged++;
        }

        await AuditDeletedAsync(apply, EvalKitRecordTypes.CaseResults, results).ConfigureAwait(false);
        if (deletedRuns > 0)
        {
            await AuditDeletedAsync(apply, EvalKitRecordTypes.Runs, deletedRuns).ConfigureAwait(false);
        }

        return report with { CaseResults = results, RunsPurged = purged, RunsDeleted = deletedRuns };
    }

    private async Task<long> DeleteRunAsync(EvaluationRun run, CancellationToken cancellationToken) =>
        await _storage.Retention.DeleteRunAsync(run.Id, cancellationToken).ConfigureAwait(false);

    private ValueTask AuditDeletedAsync(EvalKitOperation apply, string recordType, long count) =>
        _guard.AuditAsync(apply with { Kind = EvalKitOperationKinds.RetentionDelete, RecordType = recordType, RecordId = null }, AuditOutcome.Succeeded, error: null, count);
}
