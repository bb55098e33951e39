namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// The base of the storage conformance suite. A provider's test project derives one class from each abstract
/// <c>*StorageTests</c> class and supplies <see cref="CreateStorageAsync"/>; every test gets a fresh, empty store.
/// </summary>
public abstract class StorageTestBase : IAsyncLifetime
{
    private IEvalKitStorage? _storage;

    protected IEvalKitStorage Storage => _storage ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates a fresh, empty store for one test.</summary>
    protected abstract ValueTask<IEvalKitStorage> CreateStorageAsync();

    /// <summary>Opens a second instance over the same data, when the provider persists (null for in-memory stores).</summary>
    protected virtual ValueTask<IEvalKitStorage?> ReopenAsync() => ValueTask.FromResult<IEvalKitStorage?>(null);

    public async ValueTask InitializeAsync()
    {
        _storage = await CreateStorageAsync();
        await _storage.InitializeAsync(TestContext.Current.CancellationToken);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_storage is not null)
        {
            await _storage.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items.WithCancellation(Ct))
        {
            list.Add(item);
        }

        return list;
    }
}
