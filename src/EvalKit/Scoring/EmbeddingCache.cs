namespace EvalKit.Scoring;

/// <summary>
/// A thread-safe least-recently-used cache of embedding vectors, keyed by the ambient tenant (<see cref="Security.EvalKitTenant.Current"/>,
/// which the engine sets for a run's work) and the text (ordinal).
/// </summary>
/// <remarks>
/// Every live cache is known to <see cref="ClearTenant"/>: an erasure drops the erased tenant's texts (and their vectors)
/// from all of them.
/// </remarks>
internal sealed class EmbeddingCache
{
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<EmbeddingCache, object?> Live = [];
    private readonly int _capacity;
    private readonly Dictionary<(string Tenant, string Text), LinkedListNode<(string Tenant, string Text, float[] Vector)>> _map = [];
    private readonly LinkedList<(string Tenant, string Text, float[] Vector)> _order = new();
    private readonly Lock _gate = new();

    public EmbeddingCache(int capacity)
    {
        _capacity = capacity;
        Live.AddOrUpdate(this, null);
    }

    /// <summary>Drops a tenant's texts from every embedding cache of the process (after an erasure).</summary>
    public static void ClearTenant(string tenant)
    {
        foreach (var (cache, _) in Live)
        {
            cache.Clear(tenant);
        }
    }

    /// <summary>Drops a tenant's texts from this cache.</summary>
    public void Clear(string tenant)
    {
        lock (_gate)
        {
            for (var node = _order.First; node is not null;)
            {
                var next = node.Next;
                if (string.Equals(node.Value.Tenant, tenant, StringComparison.Ordinal))
                {
                    _order.Remove(node);
                    _map.Remove((node.Value.Tenant, node.Value.Text));
                }

                node = next;
            }
        }
    }

    private static string Tenant => Security.EvalKitTenant.Current ?? Security.EvalKitTenant.Default;

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _map.Count;
            }
        }
    }

    public bool TryGet(string text, out float[] vector)
    {
        lock (_gate)
        {
            if (_map.TryGetValue((Tenant, text), out var node))
            {
                _order.Remove(node);
                _order.AddFirst(node);
                vector = node.Value.Vector;
                return true;
            }
        }

        vector = [];
        return false;
    }

    public void Add(string text, float[] vector)
    {
        if (_capacity <= 0)
        {
            return;
        }

        var key = (Tenant, text);
        lock (_gate)
        {
            if (_map.TryGetValue(key, out var existing))
            {
                _order.Remove(existing);
                _map.Remove(key);
            }

            _map[key] = _order.AddFirst((key.Tenant, text, vector));
            while (_map.Count > _capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove((last.Value.Tenant, last.Value.Text));
            }
        }
    }
}
