using EvalKit.Comparisons;

namespace EvalKit.Storage;

/// <summary>Stores A/B tests; the ids of their runs live in the test record.</summary>
public interface IAbTestStorage
{
    /// <summary>Adds a test unless one with the same id exists.</summary>
    /// <param name="test">The test.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns><see langword="true"/> when added; <see langword="false"/> when the id is taken.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="test"/> is <see langword="null"/>.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask<bool> TryAddAsync(AbTest test, CancellationToken cancellationToken = default);

    /// <summary>Replaces a stored test.</summary>
    /// <param name="test">The test.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>A task that completes when stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="test"/> is <see langword="null"/>.</exception>
    /// <exception cref="NotFoundException">No test has that id.</exception>
    /// <exception cref="StorageException">The store could not be written.</exception>
    ValueTask UpdateAsync(AbTest test, CancellationToken cancellationToken = default);

    /// <summary>Gets a test.</summary>
    /// <param name="testId">The test id.</param>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The test, or <see langword="null"/>.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    ValueTask<AbTest?> GetAsync(string testId, CancellationToken cancellationToken = default);

    /// <summary>Lists every test, newest first (ties by id, descending).</summary>
    /// <param name="cancellationToken">The token to monitor for cancellation requests.</param>
    /// <returns>The tests.</returns>
    /// <exception cref="StorageException">The store could not be read.</exception>
    IAsyncEnumerable<AbTest> ListAsync(CancellationToken cancellationToken = default);
}
