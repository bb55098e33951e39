using EvalKit.Security;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EvalKit.Retention;

/// <summary>
/// Applies the configured <see cref="RetentionPolicy"/> when the host starts and then every
/// <see cref="RetentionOptions.Interval"/>, on a timer of the injected <see cref="TimeProvider"/>, to each tenant of
/// <see cref="RetentionOptions.Tenants"/>. A failing pass is logged (event 8101) and the next one runs on schedule;
/// nothing is thrown to the host. Registered by <c>AddEvalKit().AddRetention(...)</c>.
/// </summary>
public sealed partial class RetentionBackgroundService : BackgroundService
{
    private readonly IRetentionService _retention;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <summary>Initializes a new instance of the <see cref="RetentionBackgroundService"/> class.</summary>
    /// <param name="retention">Applies the policy.</param>
    /// <param name="options">The interval and the tenants.</param>
    /// <param name="timeProvider">The clock that drives the timer (not owned).</param>
    /// <param name="logger">The logger, if any.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="logger"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public RetentionBackgroundService(IRetentionService retention, IOptions<RetentionOptions> options, TimeProvider timeProvider, ILogger<RetentionBackgroundService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(retention);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _retention = retention;
        _options = options.Value;
        try
        {
            _options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException(e.Message, nameof(options), e);
        }

        _time = timeProvider;
        _logger = logger ?? (ILogger)NullLogger.Instance;
    }

    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Never hold up the host's start: the first pass runs after the start returns.
        await Task.Yield();
        using var timer = new PeriodicTimer(_options.Interval, _time);
        try
        {
            do
            {
                await ApplyToEveryTenantAsync(stoppingToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping.
        }
    }

    private async Task ApplyToEveryTenantAsync(CancellationToken stoppingToken)
    {
        if (_options.Tenants.Count == 0)
        {
            await ApplyAsync(null, stoppingToken).ConfigureAwait(false);
            return;
        }

        foreach (var tenant in _options.Tenants.ToArray())
        {
            using (EvalKitTenant.Use(tenant))
            {
                await ApplyAsync(tenant, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task ApplyAsync(string? tenant, CancellationToken stoppingToken)
    {
        try
        {
            var report = await _retention.ApplyAsync(stoppingToken).ConfigureAwait(false);
            LogApplied(report.TenantId, report.CaseResults, report.RunsPurged + report.RunsDeleted, report.MetricPoints, report.CachedResponses, report.AuditEntries);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            LogFailed(tenant ?? "(ambient)", e);
        }
    }

    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "Retention for tenant {TenantId} deleted {CaseResults} case results of {Runs} runs, {MetricPoints} metric points, {CachedResponses} cached responses and {AuditEntries} audit entries")]
    private partial void LogApplied(string tenantId, long caseResults, long runs, long metricPoints, long cachedResponses, long auditEntries);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Error, Message = "Retention for tenant {TenantId} failed; the next pass runs on schedule")]
    private partial void LogFailed(string tenantId, Exception exception);
}
