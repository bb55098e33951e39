using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Projects;
using EvalKit.Registry;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvalKit.Tests.Projects;

/// <summary>AddEvalKit registers the project service and cost accounting; budget observers and the engine's log receive alerts.</summary>
public sealed class ProjectsDependencyInjectionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddEvalKit_RegistersProjectsAndCostAccountingAsSingletons()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();

        services.Should().ContainSingle(d => d.ServiceType == typeof(IProjectService)).Which.Lifetime.Should().Be(ServiceLifetime.Singleton);
        services.Should().ContainSingle(d => d.ServiceType == typeof(ICostAccounting)).Which.Lifetime.Should().Be(ServiceLifetime.Singleton);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IProjectService>().Should().BeOfType<ProjectService>().And.BeSameAs(provider.GetRequiredService<IProjectService>());
        provider.GetRequiredService<ICostAccounting>().Should().BeOfType<CostAccounting>();
    }

    [Fact]
    public async Task SoftLimit_ReachesRegisteredObservers_AndLogsAWarning()
    {
        var log = new LogCollector();
        var alerts = new List<BudgetAlert>();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(log));
        services.AddEvalKit();
        services.AddKeyedSingleton<IChatClient>("local/model", FakeChatClient.Answering(_ => "2", 1_000_000, 0));
        services.AddSingleton<IBudgetObserver>(new Observer(alerts));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IModelRegistry>().RegisterAsync(
            new ModelDescriptor { Id = "local/model", Pricing = new ModelPricing { InputPerMillionTokens = 1, OutputPerMillionTokens = 1 } }, Ct);
        var dataset = await provider.GetRequiredService<IDatasetStore>().ImportAsync(new Dataset("d", "1", TestData.Cases(2)), Ct);
        await provider.GetRequiredService<IProjectService>().CreateAsync(new ProjectDefinition { Id = "p", Name = "p", Budget = new ProjectBudget { SoftLimit = 1 } }, Ct);

        await provider.GetRequiredService<IEvaluationEngine>().EvaluateAsync(
            new EvaluationRequest { ModelId = "local/model", DatasetId = dataset.Id, ProjectId = "p", Options = new EvaluationOptions { MaxConcurrency = 1 } }, cancellationToken: Ct);

        alerts.Should().ContainSingle().Which.Should().Match<BudgetAlert>(a => a.Kind == BudgetAlertKind.SoftLimitReached && a.ProjectId == "p" && a.Spent == 1m && a.Limit == 1m);
        log.Entries.Should().ContainSingle(e => e.EventId == 1100).Which.Should().Match<(int EventId, LogLevel Level, string Message)>(
            e => e.Level == LogLevel.Warning && e.Message.Contains("Project p reached its soft budget limit", StringComparison.Ordinal));
        (await provider.GetRequiredService<IProjectService>().GetBudgetStatusAsync("p", Ct)).Spent.Should().Be(2m);
    }

    private sealed class Observer(List<BudgetAlert> alerts) : IBudgetObserver
    {
        public ValueTask OnBudgetAlertAsync(BudgetAlert alert, CancellationToken cancellationToken = default)
        {
            lock (alerts)
            {
                alerts.Add(alert);
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class LogCollector : ILoggerProvider
    {
        private readonly List<(int EventId, LogLevel Level, string Message)> _entries = [];

        public IReadOnlyList<(int EventId, LogLevel Level, string Message)> Entries
        {
            get
            {
                lock (_entries)
                {
                    return [.. _entries];
                }
            }
        }

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(LogCollector collector) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (collector._entries)
                {
                    collector._entries.Add((eventId.Id, logLevel, formatter(state, exception)));
                }
            }
        }
    }
}
