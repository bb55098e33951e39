namespace EvalKit.Storage;

/// <summary>
/// Says, for the current asynchronous flow, whether reads must see every committed write: a store with a read replica
/// (such as PostgreSQL with <c>ReadOnlyConnectionString</c>) then reads from its primary. EvalKit's services set it
/// around every write operation they run (through <see cref="Security.OperationGuard"/>), so a read that decides a write
/// (a run's summary from its results, the current revision of a model being changed) never sees a lagging replica.
/// </summary>
/// <example>
/// A host that writes and then must read its write at once, outside EvalKit's own operations:
/// <code>
/// using (ReadConsistency.RequirePrimary())
/// {
///     var run = await storage.Runs.GetAsync(runId);
/// }
/// </code>
/// </example>
public static class ReadConsistency
{
    private static readonly AsyncLocal<int> Depth = new();

    /// <summary>Gets a value indicating whether reads in the current flow must go to the primary.</summary>
    public static bool IsPrimaryRequired => Depth.Value > 0;

    /// <summary>Requires reads from the primary in the current flow (and in the work it starts) until the scope is disposed.</summary>
    /// <returns>The scope; dispose it on the flow that created it.</returns>
    public static IDisposable RequirePrimary()
    {
        Depth.Value++;
        return new Scope();
    }

    private sealed class Scope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (!_disposed)
            {
                _disposed = true;
                Depth.Value = Math.Max(0, Depth.Value - 1);
            }
        }
    }
}
