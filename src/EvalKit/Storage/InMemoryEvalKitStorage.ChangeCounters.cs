namespace EvalKit.Storage;

/// <content>
/// The change counters. Each tenant's counters live with its records (so they go when the records go); every value comes
/// from one sequence of the store, so a counter that is removed and created again never repeats a value.
/// </content>
public sealed partial class InMemoryEvalKitStorage
{
    private readonly ChangeCounterStore _changeCounters = new();

    /// <inheritdoc/>
    public IChangeCounterStorage ChangeCounters => _changeCounters;

    /// <summary>Advances a tenant's counters; call under the store's lock, then <see cref="Advanced"/> after it.</summary>
    private void Advance(TenantData data, params ReadOnlySpan<ChangeScope> scopes)
    {
        foreach (var scope in scopes)
        {
            data.Counters[scope.Name] = _changeCounters.Next();
        }
    }

    /// <summary>Removes a tenant's counter (a deleted run's); call under the store's lock.</summary>
    private static void Remove(TenantData data, ChangeScope scope) => data.Counters.Remove(scope.Name);

    /// <summary>Raises <see cref="IChangeCounterStorage.Advanced"/> for the current tenant.</summary>
    private void Advanced(params ChangeScope[] scopes) => _changeCounters.Raise(this, Tenant, scopes);

    private sealed class ChangeCounterStore : IChangeCounterStorage
    {
        private long _sequence;

        public event EventHandler<ChangeCountersAdvancedEventArgs>? Advanced;

        internal InMemoryEvalKitStorage? Owner { get; set; }

        public ValueTask<IReadOnlyList<long>> ReadAsync(IReadOnlyList<ChangeScope> scopes, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(scopes);
            var owner = Owner ?? throw new InvalidOperationException("The change counters are not attached to a store.");
            var values = owner.Locked(t =>
            {
                var read = new long[scopes.Count];
                for (var i = 0; i < scopes.Count; i++)
                {
                    if (!t.Counters.TryGetValue(scopes[i].Name, out read[i]) && scopes[i] == ChangeScope.Epoch)
                    {
                        read[i] = t.Counters[ChangeScope.Epoch.Name] = Next();
                    }
                }

                return read;
            });
            return ValueTask.FromResult<IReadOnlyList<long>>(values);
        }

        public long Next() => Interlocked.Increment(ref _sequence);

        public void Raise(object sender, string tenant, ChangeScope[] scopes) => Advanced?.Invoke(sender, new ChangeCountersAdvancedEventArgs(tenant, scopes));
    }
}
