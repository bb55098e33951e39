namespace EvalKit.Scoring;

/// <summary>A thread-safe least-recently-used cache of embedding vectors, keyed by text (ordinal).</summary>
internal sealed class EmbeddingCache
{
    private readonly int _capacity;
    private readonly Dictionary<string, LinkedListNode<(string Text, float[] Vector)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Text, float[] Vector)> _order = new();
    private readonly Lock _gate = new();

    public EmbeddingCache(int capacity) => _capacity = capacity;

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
            if (_map.TryGetValue(text, out var node))
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

        lock (_gate)
        {
            if (_map.TryGetValue(text, out var existing))
            {
                _order.Remove(existing);
                _map.Remove(text);
            }

            _map[text] = _order.AddFirst((text, vector));
            while (_map.Count > _capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Text);
            }
        }
    }
}
