using EvalKit.Evaluation;

namespace EvalKit.Projects;

/// <summary>
/// Cost accounting from stored results: reports of cost and tokens by project, model, benchmark, dataset and period, and
/// estimates of what a run would cost. The store aggregates per run (and day); the service joins runs to their keys.
/// </summary>
public interface ICostAccounting
{
    /// <summary>Reports what the current tenant's results used and cost.</summary>
    /// <param name="query">Which results and how to group them; every run of the tenant, as one line, when <see langword="null"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The report.</returns>
    /// <exception cref="ArgumentException">The range is empty, or the grouping or period is unknown.</exception>
    /// <exception cref="StorageException">The store could not be read.</exception>
    Task<CostReport> GetReportAsync(CostQuery? query = null, CancellationToken cancellationToken = default);

    /// <summary>Estimates what evaluating a request would cost (see <see cref="CostEstimate"/> for how).</summary>
    /// <param name="request">The request, as it would be passed to <see cref="IEvaluationEngine.EvaluateAsync"/>.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The estimate.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The request names neither a benchmark nor a dataset, or its options are invalid.</exception>
    /// <exception cref="NotFoundException">The model, benchmark or dataset does not exist.</exception>
    /// <exception cref="StorageException">The store could not be read.</exception>
    Task<CostEstimate> EstimateCostAsync(EvaluationRequest request, CancellationToken cancellationToken = default);
}
