using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Postgres.Tests;

/// <summary>
/// A conformance test's database: a schema of its own on the test server, created when the test opens its first store
/// (which skips the test, or fails it under CI, when no server is configured) and dropped after the test.
/// </summary>
internal sealed class PostgresConformanceDatabase : IAsyncDisposable
{
    private PostgresTestSchema? _schema;

    public ValueTask<IEvalKitStorage> OpenAsync()
    {
        _schema ??= new PostgresTestSchema();
        return ValueTask.FromResult<IEvalKitStorage>(_schema.Open());
    }

    public ValueTask<IEvalKitStorage?> ReopenAsync() =>
        ValueTask.FromResult<IEvalKitStorage?>((_schema ?? throw new InvalidOperationException("Open the store first.")).Open());

    public ValueTask DisposeAsync() => _schema?.DisposeAsync() ?? ValueTask.CompletedTask;
}

public sealed class PostgresModelStorageTests : ModelStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => _db.ReopenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresDatasetStorageTests : DatasetStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresBenchmarkStorageTests : BenchmarkStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresRunStorageTests : RunStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresResultStorageTests : ResultStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresMetricStorageTests : MetricStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresEvaluationStorageTests : EvaluationStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => _db.ReopenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresResponseCacheStorageTests : ResponseCacheStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresAbTestStorageTests : AbTestStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => _db.ReopenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresExperimentStorageTests : ExperimentStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => _db.ReopenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresShardStorageTests : ShardStorageTests
{
    private readonly PostgresConformanceDatabase _db = new();

    protected override ValueTask<IEvalKitStorage> CreateStorageAsync() => _db.OpenAsync();

    protected override ValueTask<IEvalKitStorage?> ReopenAsync() => _db.ReopenAsync();

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        await _db.DisposeAsync();
    }
}

public sealed class PostgresConformanceCoverageTests
{
    [Fact]
    public void EverySuiteOfTheSpecification_HasAPostgresImplementation() =>
        ConformanceCoverage.MissingSuites(typeof(PostgresConformanceCoverageTests).Assembly).Should().BeEmpty();
}
