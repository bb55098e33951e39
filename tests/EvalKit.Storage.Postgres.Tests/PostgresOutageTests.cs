using EvalKit.Storage.Specification.Tests;
using Npgsql;

namespace EvalKit.Storage.Postgres.Tests;

/// <summary>The PostgreSQL server goes away mid-run (through a relay that resets every connection) and comes back.</summary>
public sealed class PostgresOutageTests : StorageOutageScenario, IAsyncLifetime
{
    private readonly PostgresTestSchema _schema = new();
    private TcpRelay? _relay;

    public ValueTask InitializeAsync()
    {
        var server = new NpgsqlConnectionStringBuilder(_schema.ConnectionString);
        _relay = new TcpRelay(server.Host ?? "127.0.0.1", server.Port);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        if (_relay is not null)
        {
            await _relay.DisposeAsync();
        }

        await _schema.DisposeAsync();
    }

    protected override IEvalKitStorage OpenStorage()
    {
        var relayed = new NpgsqlConnectionStringBuilder(_schema.ConnectionString)
        {
            Host = "127.0.0.1",
            Port = _relay!.Port,
            Timeout = 5,
            CommandTimeout = 30,
        };
        return new PostgresEvalKitStorage(new PostgresStorageOptions { ConnectionString = relayed.ConnectionString, Schema = _schema.Name });
    }

    protected override Task BreakAsync() => _relay!.CutAsync();

    protected override Task MendAsync()
    {
        _relay!.Restore();
        NpgsqlConnection.ClearAllPools();
        return Task.CompletedTask;
    }
}
