using System.Runtime.CompilerServices;
using Npgsql;
using NpgsqlTypes;

namespace EvalKit.Storage.Postgres;

/// <content>Command helpers shared by the stores: every provider failure becomes a <see cref="StorageException"/>.</content>
public sealed partial class PostgresEvalKitStorage
{
    /// <summary>Runs a query on the primary.</summary>
    private IAsyncEnumerable<T> QueryAsync<T>(
        string operation, string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken) =>
        QueryCoreAsync(operation, sql, bind, map, replica: false, cancellationToken);

    /// <summary>
    /// Runs a report query: on the read replica when one is configured (see <see cref="PostgresStorageOptions.ReadOnlyConnectionString"/>)
    /// and the flow does not require the primary (<see cref="ReadConsistency.IsPrimaryRequired"/>); on the primary otherwise.
    /// </summary>
    private IAsyncEnumerable<T> ReadQueryAsync<T>(
        string operation, string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken) =>
        QueryCoreAsync(operation, sql, bind, map, replica: true, cancellationToken);

    /// <summary>Reads one record with a report query (see <see cref="ReadQueryAsync"/>).</summary>
    private async ValueTask<T?> ReadSingleAsync<T>(
        string operation, string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await foreach (var item in ReadQueryAsync(operation, sql, bind, map, cancellationToken).ConfigureAwait(false))
        {
            return item;
        }

        return null;
    }

    private async IAsyncEnumerable<T> QueryCoreAsync<T>(
        string operation, string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> map, bool replica,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = replica ? await ReadyForReadAsync(cancellationToken).ConfigureAwait(false) : await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = new NpgsqlCommand(sql, connection);
            bind(command.Parameters);
            NpgsqlDataReader reader;
            try
            {
                reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
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
                    catch (NpgsqlException e)
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
        string operation, string sql, Action<NpgsqlParameterCollection> bind, Func<NpgsqlDataReader, T> map, CancellationToken cancellationToken)
        where T : class
    {
        await foreach (var item in QueryAsync(operation, sql, bind, map, cancellationToken).ConfigureAwait(false))
        {
            return item;
        }

        return null;
    }

    private async ValueTask<int> ExecuteAsync(string operation, string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        var connection = await ReadyAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            try
            {
                return await CommandAsync(connection, null, sql, bind, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
            {
                throw Wrap(operation, e);
            }
        }
    }

    /// <summary>Inserts a record unless its key exists.</summary>
    /// <returns><see langword="true"/> when the record was inserted.</returns>
    private async ValueTask<bool> TryInsertAsync(string operation, string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken) =>
        await ExecuteAsync(operation, sql, bind, cancellationToken).ConfigureAwait(false) == 1;

    /// <summary>Updates a record that must exist.</summary>
    /// <exception cref="NotFoundException">No record of that kind has that id.</exception>
    private async ValueTask UpdateExistingAsync(string kind, string id, string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        if (await ExecuteAsync($"updating a {kind}", sql, bind, cancellationToken).ConfigureAwait(false) == 0)
        {
            throw new NotFoundException(kind, id);
        }
    }

    /// <summary>Runs work in one transaction (read committed); any failure rolls all of it back.</summary>
    private async ValueTask<T> InTransactionAsync<T>(string operation, Func<NpgsqlConnection, NpgsqlTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        await InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await InTransactionCoreAsync(operation, work, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<T> InTransactionCoreAsync<T>(string operation, Func<NpgsqlConnection, NpgsqlTransaction, ValueTask<T>> work, CancellationToken cancellationToken)
    {
        var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            NpgsqlTransaction transaction;
            try
            {
                transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException e)
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
                catch (NpgsqlException e)
                {
                    throw Wrap(operation, e);
                }
            }
        }
    }

    private static async Task<int> CommandAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        bind(command.Parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, Action<NpgsqlParameterCollection> bind, CancellationToken cancellationToken)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        bind(command.Parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter Text(string? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)PostgresValues.Encode(value) ?? DBNull.Value };

    /// <summary>Adds the tenant and then an id: parameters $1 and $2 of most single-record statements.</summary>
    private static void TenantAnd(NpgsqlParameterCollection p, string tenant, string? id)
    {
        p.Add(Text(tenant));
        p.Add(Text(id));
    }

    private static NpgsqlParameter Json(string value) => new() { NpgsqlDbType = NpgsqlDbType.Json, Value = value };

    private static NpgsqlParameter<int> Int(int value) => new NpgsqlParameter<int> { NpgsqlDbType = NpgsqlDbType.Integer, TypedValue = value };

    private static NpgsqlParameter<long> Bigint(long value) => new NpgsqlParameter<long> { NpgsqlDbType = NpgsqlDbType.Bigint, TypedValue = value };

    private static NpgsqlParameter<short> Smallint(short value) => new NpgsqlParameter<short> { NpgsqlDbType = NpgsqlDbType.Smallint, TypedValue = value };

    /// <summary>A <c>timestamptz</c> parameter: the time truncated to the microsecond, in UTC (see <see cref="PostgresValues.Split"/>).</summary>
    private static NpgsqlParameter<DateTimeOffset> Timestamp(DateTimeOffset value) =>
        new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = PostgresValues.Split(value).Microseconds };

    /// <summary>Adds a time as two parameters: the <c>timestamptz</c> and the 100 ns ticks below its microsecond.</summary>
    private static void AddTime(NpgsqlParameterCollection p, DateTimeOffset value)
    {
        var (microseconds, ticks) = PostgresValues.Split(value);
        p.Add(new NpgsqlParameter<DateTimeOffset> { NpgsqlDbType = NpgsqlDbType.TimestampTz, TypedValue = microseconds });
        p.Add(Smallint(ticks));
    }

    private static NpgsqlParameter Array<T>(T[] values, NpgsqlDbType elementType) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | elementType, Value = values };

    /// <summary>Reads a text column written through <see cref="Text"/> or <see cref="PostgresValues.Encode"/>.</summary>
    private static string ReadText(NpgsqlDataReader reader, int ordinal) => PostgresValues.Decode(reader.GetString(ordinal));

    private static string? ReadNullableText(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : ReadText(reader, ordinal);

    /// <summary>Reads a time written through <see cref="AddTime"/>: a <c>timestamptz</c> column and its ticks column next to it.</summary>
    private static DateTimeOffset ReadTime(NpgsqlDataReader reader, int ordinal) =>
        PostgresValues.Join(reader.GetFieldValue<DateTimeOffset>(ordinal), reader.GetInt16(ordinal + 1));
}
