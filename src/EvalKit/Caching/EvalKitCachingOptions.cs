using System.Globalization;

namespace EvalKit.Caching;

/// <summary>
/// Options of EvalKit's cache of read answers (<see cref="EvalKitCache"/>): whether it is on, how long each kind of answer
/// is kept, and how often a process re-reads the store's change counters to notice writes made by other processes.
/// </summary>
/// <remarks>
/// A lifetime bounds how long an answer stays in the cache (both levels of <c>HybridCache</c>); it never makes an answer
/// stale: every answer is stamped with the change counters it was computed under and is served only while they hold.
/// </remarks>
public sealed class EvalKitCachingOptions
{
    /// <summary>Gets or sets a value indicating whether EvalKit caches read answers. When off, every read goes to the store.</summary>
    /// <value>The default value is <see langword="true"/>.</value>
    public bool Enabled { get; set; } = true;

    /// <summary>Gets or sets how long a snapshot of the registry's models is kept.</summary>
    /// <value>The default value is 1 hour.</value>
    /// <remarks>How soon another process's model write is seen is <see cref="Registry.ModelRegistryOptions.CacheRefreshInterval"/>.</remarks>
    public TimeSpan RegistryReads { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Gets or sets how long aggregated answers about completed runs are kept: <see cref="Evaluation.IEvaluationEngine.GetResultsAsync"/>,
    /// run comparisons and regression checks.
    /// </summary>
    /// <value>The default value is 24 hours.</value>
    public TimeSpan RunResults { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Gets or sets how long a selection decision is kept. A decision is made again sooner when its evidence changes with time
    /// alone: when a runtime sample leaves the request's window (see <see cref="Selection.ModelEvidence.ChangesAt"/>).
    /// </summary>
    /// <value>The default value is 1 hour.</value>
    public TimeSpan SelectionDecisions { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Gets or sets how long answers of metrics queries (aggregates, rates, comparisons, anomaly reports) are kept.</summary>
    /// <value>The default value is 15 minutes.</value>
    public TimeSpan MetricsQueries { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Gets or sets how long a process trusts the change counters it last read from the store before it reads them again
    /// (one small query for the counters an answer depends on). It bounds how long a write made by another process (or
    /// another store instance) can go unseen; writes through the same store instance are seen at once.
    /// </summary>
    /// <value>The default value is 1 second.</value>
    /// <remarks><see cref="TimeSpan.Zero"/> reads the counters on every cached read.</remarks>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Checks the options and lists every problem at once.</summary>
    /// <exception cref="ArgumentException">An option is invalid.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        Positive(RegistryReads, nameof(RegistryReads));
        Positive(RunResults, nameof(RunResults));
        Positive(SelectionDecisions, nameof(SelectionDecisions));
        Positive(MetricsQueries, nameof(MetricsQueries));
        if (CheckInterval < TimeSpan.Zero)
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{nameof(CheckInterval)} must not be negative (was {CheckInterval})."));
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid caching options: " + string.Join(" ", problems));
        }

        void Positive(TimeSpan value, string name)
        {
            if (value <= TimeSpan.Zero)
            {
                problems.Add(string.Create(CultureInfo.InvariantCulture, $"{name} must be positive (was {value})."));
            }
        }
    }

    /// <summary>Copies the options, so that a cache keeps the values it was built with.</summary>
    /// <returns>The copy.</returns>
    internal EvalKitCachingOptions Copy() => (EvalKitCachingOptions)MemberwiseClone();
}
