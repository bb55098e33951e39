using EvalKit.Storage;
using EvalKit.Telemetry;
using Microsoft.Extensions.Logging;

namespace EvalKit.Evaluation;

/// <summary>Distributed runs: a run split into shards that workers in any number of processes claim under leases.</summary>
public sealed partial class EvaluationEngine
{
    /// <inheritdoc/>
    public async Task<EvaluationRun> EnqueueAsync(EvaluationRequest request, DistributedRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        options ??= DistributedRunOptions.Default;
        options.Validate();
        request = WithRunId(request);
        return await _guard.RunAsync(
            Security.EvalKitOperationKinds.EvaluationEnqueue, Security.EvalKitRecordTypes.Run, request.RunId, () => EnqueueCoreAsync(request, options, cancellationToken), null, cancellationToken).ConfigureAwait(false);
    }

    private async Task<EvaluationRun> EnqueueCoreAsync(EvaluationRequest request, DistributedRunOptions options, CancellationToken cancellationToken)
    {
        using var tenantScope = CaptureTenant();
        var shardStore = _storage.Shards;
        var (run, _, _, _) = await CreateRunAsync(request, RunStatus.Running, cancellationToken).ConfigureAwait(false);
        var caseCount = run.TotalCount / run.Options.Repetitions;
        try
        {
            if (!await shardStore.CreateAsync(RunShard.Split(run.Id, caseCount, options.ShardSize), CancellationToken.None).ConfigureAwait(false))
            {
                throw new StorageException($"Run '{run.Id}' already has shards in the store.");
            }
        }
        catch (Exception e)
        {
            // A run without shards would wait for workers forever: record that it failed.
            await TryUpdateAsync(run with { Status = RunStatus.Failed, CompletedAt = _time.GetUtcNow(), Error = Security.SecretText.Scrub(e.Message) }).ConfigureAwait(false);
            throw;
        }

        LogRunEnqueued(run.Id, run.ModelId, caseCount, options.ShardSize);
        await NotifyAsync(new RunEvent(RunEventKind.Started, run)).ConfigureAwait(false);
        return run;
    }

    /// <inheritdoc/>
    public Task<WorkerReport> RunWorkerAsync(string runId, WorkerOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        return WorkAsync(runId, options ?? WorkerOptions.Default, cancellationToken);
    }

    /// <inheritdoc/>
    public Task<WorkerReport> RunWorkerAsync(WorkerOptions? options = null, CancellationToken cancellationToken = default) =>
        WorkAsync(null, options ?? WorkerOptions.Default, cancellationToken);

    private async Task<WorkerReport> WorkAsync(string? runId, WorkerOptions options, CancellationToken cancellationToken)
    {
        // A worker claims only shards of its own tenant (the store filters by it), and works on them, heartbeats included,
        // in that tenant's scope.
        using var tenantScope = CaptureTenant();
        options.Validate();
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        var shards = _storage.Shards;
        if (runId is not null)
        {
            _ = await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("run", runId);
        }

        var report = new Tally();
        while (!cancellationToken.IsCancellationRequested)
        {
            if (runId is not null
                && (await _storage.Runs.GetAsync(runId, cancellationToken).ConfigureAwait(false) ?? throw new NotFoundException("run", runId)).Status != RunStatus.Running)
            {
                break;
            }

            var lease = await shards.TryClaimAsync(runId, options.WorkerId, _time.GetUtcNow(), options.LeaseDuration, cancellationToken).ConfigureAwait(false);
            if (lease is null)
            {
                if (runId is null && options.StopWhenIdle)
                {
                    break;
                }

                if (runId is not null && (await shards.CountAsync(runId, cancellationToken).ConfigureAwait(false)) is { Total: > 0, Pending: 0, Claimed: 0 })
                {
                    break;
                }

                // Every remaining shard is held by another worker: look again when a dead one's lease may have expired.
                await Task.Delay(options.PollInterval, _time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            try
            {
                await WorkOnShardAsync(lease, options, report, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A failed attempt does not stop the worker: the shard's lease runs out and the shard is tried again,
                // by this worker or another, until it has been claimed MaxShardAttempts times; then the run fails.
                report.Failed++;
                await ShardFailedAsync(lease, options, e, report).ConfigureAwait(false);
            }
        }

        return new WorkerReport(options.WorkerId, report.Completed, report.Written, report.Lost, report.Finalized)
        {
            ShardsFailed = report.Failed,
            RunsFailed = report.RunsFailed,
        };
    }

    private async Task ShardFailedAsync(ShardLease lease, WorkerOptions options, Exception error, Tally report)
    {
        var shard = lease.Shard;
        var message = Security.SecretText.Scrub(error.Message);
        LogShardFailed(shard.RunId, shard.Index, shard.Claims, options.MaxShardAttempts, error);
        if (shard.Claims < options.MaxShardAttempts)
        {
            return;
        }

        var run = await _storage.Runs.GetAsync(shard.RunId, CancellationToken.None).ConfigureAwait(false);
        if (run is not { Status: RunStatus.Running })
        {
            return;
        }

        var failed = run with
        {
            Status = RunStatus.Failed,
            CompletedAt = _time.GetUtcNow(),
            Error = $"Shard {shard.Index} of run '{run.Id}' failed on each of its {shard.Claims} attempts; the last error: {message}",
        };
        if (await _storage.Runs.TryUpdateAsync(failed, RunStatus.Running, CancellationToken.None).ConfigureAwait(false))
        {
            report.RunsFailed.Add(run.Id);
            LogRunFailed(run.Id, error);
            await NotifyAsync(new RunEvent(RunEventKind.Failed, failed, error)).ConfigureAwait(false);
        }

        // Done with it either way: a failed run's shards are not claimed again.
        await _storage.Shards.CompleteAsync(lease, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
    }

    private async Task WorkOnShardAsync(ShardLease lease, WorkerOptions options, Tally report, CancellationToken cancellationToken)
    {
        var shards = _storage.Shards;
        var run = await _storage.Runs.GetAsync(lease.Shard.RunId, cancellationToken).ConfigureAwait(false);
        if (run is not { Status: RunStatus.Running })
        {
            // A cancelled or failed run leaves its shards; a queue worker must not claim them forever.
            await shards.CompleteAsync(lease, _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false);
            return;
        }

        using var work = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopHeartbeat = new CancellationTokenSource();
        var current = lease;
        var lost = false;
        var heartbeat = Task.Run(
            async () =>
            {
                while (!stopHeartbeat.IsCancellationRequested)
                {
                    try
                    {
                        await Task.Delay(options.HeartbeatInterval, _time, stopHeartbeat.Token).ConfigureAwait(false);
                        var renewed = await shards.RenewAsync(Volatile.Read(ref current), _time.GetUtcNow(), options.LeaseDuration, stopHeartbeat.Token).ConfigureAwait(false);
                        var status = (await _storage.Runs.GetAsync(run.Id, stopHeartbeat.Token).ConfigureAwait(false))?.Status;
                        if (renewed is null || status != RunStatus.Running)
                        {
                            lost = renewed is null;
                            await work.CancelAsync().ConfigureAwait(false);
                            return;
                        }

                        Volatile.Write(ref current, renewed);
                    }
                    catch (OperationCanceledException) when (stopHeartbeat.IsCancellationRequested)
                    {
                        return;
                    }
                    catch (Exception e) when (e is StorageException or TimeoutException or System.Data.Common.DbException)
                    {
                        // A failed renewal is tried again at the next beat; if none succeeds before the lease ends, the
                        // shard is taken over and this worker's later renewal returns null, which stops its work.
                        LogHeartbeatFailed(run.Id, lease.Shard.Index, e);
                    }
                }
            },
            CancellationToken.None);

        var finalized = false;
        try
        {
            using var activity = EvalKitTelemetry.ActivitySource.StartActivity("evalkit.shard");
            activity?.SetTag("evalkit.run.id", run.Id);
            activity?.SetTag("evalkit.shard.index", lease.Shard.Index);
            if (lease.Shard.Finalizes)
            {
                await FinalizeAsync(run, work.Token).ConfigureAwait(false);
                finalized = true;
            }
            else
            {
                var (model, client, scorers) = await LoadRunAsync(run, work.Token).ConfigureAwait(false);
                var active = new ActiveRun(work, _time.GetTimestamp());
                await PumpAsync(run, model, client, scorers, resume: true, active, null, work.Token, lease.Shard).ConfigureAwait(false);
                report.Written += Interlocked.Read(ref active.Written);
            }
        }
        catch (OperationCanceledException) when (work.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The lease was lost or the run stopped: what was stored stays; the next holder skips it.
            report.Lost += lost ? 1 : 0;
            return;
        }
        finally
        {
            await stopHeartbeat.CancelAsync().ConfigureAwait(false);
            await heartbeat.ConfigureAwait(false);
        }

        if (await shards.CompleteAsync(Volatile.Read(ref current), _time.GetUtcNow(), CancellationToken.None).ConfigureAwait(false))
        {
            report.Completed++;
            if (finalized)
            {
                report.Finalized.Add(run.Id);
            }
        }
        else
        {
            report.Lost++;
        }
    }

    // The run's last step, done once by the holder of its finalizing shard: every result is stored, so the summary is
    // computed from the store and the run completes.
    private async Task FinalizeAsync(EvaluationRun run, CancellationToken cancellationToken)
    {
        var stored = await _storage.Results.CountAsync(run.Id, cancellationToken).ConfigureAwait(false);
        if (stored.Total != run.TotalCount)
        {
            throw new StorageException($"Run '{run.Id}' should hold {run.TotalCount} results once every shard is done, but the store holds {stored.Total}.");
        }

        var summary = await SummaryCalculator.ComputeAsync(_storage.Results.ReadAsync(run.Id, cancellationToken), run, _options.DefaultConfidenceLevel, cancellationToken).ConfigureAwait(false);
        var now = _time.GetUtcNow();
        run = run with { Status = RunStatus.Completed, CompletedAt = now, Elapsed = now - (run.StartedAt ?? run.CreatedAt), Summary = summary };

        // Only a run still running completes: a finalizer that lost its lease while summarizing (its successor completed
        // the run), or a run cancelled meanwhile, is left as it is.
        if (!await _storage.Runs.TryUpdateAsync(run, RunStatus.Running, CancellationToken.None).ConfigureAwait(false))
        {
            return;
        }

        await RecordRunMetricsAsync(run).ConfigureAwait(false);
        LogRunCompleted(run.Id, summary.Total, summary.Failed);
        await NotifyAsync(new RunEvent(RunEventKind.Completed, run)).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 1009, Level = LogLevel.Warning, Message = "Shard {Shard} of run {RunId} failed on attempt {Attempt} of {MaxAttempts}")]
    private partial void LogShardFailed(string runId, int shard, int attempt, int maxAttempts, Exception exception);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "Renewing the lease on shard {Shard} of run {RunId} failed; trying again at the next heartbeat")]
    private partial void LogHeartbeatFailed(string runId, int shard, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "Run {RunId} enqueued for workers: model {ModelId}, {Cases} cases in shards of {ShardSize}")]
    private partial void LogRunEnqueued(string runId, string modelId, long cases, int shardSize);

    private sealed class Tally
    {
        public int Completed { get; set; }

        public long Written { get; set; }

        public int Lost { get; set; }

        public List<string> Finalized { get; } = [];

        public int Failed { get; set; }

        public List<string> RunsFailed { get; } = [];
    }
}
