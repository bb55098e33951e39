using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite;

/// <content>
/// Command helpers shared by the stores: every provider failure becomes a <see cref="StorageException"/>. The query and
/// execute helpers bind <c>$tenant</c> to the tenant of the operation, resolved when the helper is called (a query's rows
/// belong to the tenant current when it was asked for, even if they are read later).
/// </content>
public sealed partial class SqliteEvalKitStorage
{
    private IAsyncEnumerable<T> QueryAsync<T>(
        string operation, string sql, Action<SqliteParameterCollection> bind, Func<SqliteDataReader, T> map, CancellationToken cancellationToken) =>
        QueryAsync(operation, sql, Tenant, bind, map, cancellationToken);

    private async IAsyncEnumerable<T> QueryAsync<T>(
        string operation, string sql, string tenant, Action<SqliteParameterCollection> bind, Func<SqliteDataReader, T> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$tenant", tenant);
            bind(command.Parameters);
            SqliteDataReader reader;
            try
            {
                reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw Wrap(operation, e);
            }

            await using (reader.ConfigureAwait(false))
            {
                while (true)
                {
                    bool more;
                    try
                    {
                        more = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                    }
                    catch (SqliteException e)
                    {
                        throw Wrap(operation, e);
                    }

                    if (!more)
                    {
                        yield break;
                    }

                    yield return map(reader);
                }
            }
        }
    }

    private async ValueTask<T?> QuerySingleAsync<T>(
        string operation, string sql, Action<SqliteParameterCollection> bind, Func<SqliteDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await foreach (var item in QueryAsync(operation, sql, bind, map, cancellationToken).ConfigureAwait(false))
        {
            return item;
        }

        return null;
    }

    private async ValueTask<int> ExecuteAsync(string operation, string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        var tenant = Tenant;
        var connection = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$tenant", tenant);
            bind(command.Parameters);
            try
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (SqliteException e)
            {
                throw Wrap(operation, e);
            }
        }
    }

    /// <summary>Inserts a record unless its key exists.</summary>
    /// <returns><see langword="true"/> when the record was inserted.</returns>
    private async ValueTask<bool> TryInsertAsync(string operation, string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken) =>
        await ExecuteAsync(operation, sql, bind, cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Updates a record that must exist.</summary>
    /// <exception cref="NotFoundException">No record of that kind has that id.</exception>
    private async ValueTask UpdateExistingAsync(string kind, string id, string sql, Action<SqliteParameterCollection> bind, CancellationToken cancellationToken)
    {
        if (await ExecuteAsync($"updating a {kind}", sql, bind, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new NotFoundException(kind, id);
        }
    }

    /// <summary>Runs work in one write transaction (BEGIN IMMEDIATE); any failure rolls all of it back.</summary>
    private async ValueTask<T> InTransactionAsync<T>(string operation, Func<SqliteConnection, SqliteTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        var connection = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            SqliteTransaction transaction;
            try
            {
                transaction = connection.BeginTransaction(deferred: false);
            }
            catch (SqliteException e)
            {
                throw Wrap(operation, e);
            }

            await using (transaction.ConfigureAwait(false))
            {
                try
                {
                    var result = await work(connection, transaction).ConfigureAwait(false);
                    await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
                    return result;
                }
                catch (SqliteException e)
                {
                    throw Wrap(operation, e);
                }
            }
        }
    }
}
