using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Serialization;
using EvalKit.Evaluation;
using EvalKit.Samples.WebApi.Endpoints;
using EvalKit.Samples.WebApi.FakeModels;
using EvalKit.Samples.WebApi.Hosting;
using EvalKit.Scoring;
using EvalKit.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Options;

namespace EvalKit.Samples.WebApi;

/// <summary>
/// The REST host: the original platform's <c>/api/v1/evaluation</c> surface on ASP.NET Core minimal APIs, built only on
/// EvalKit's public API. <c>Program.cs</c> runs it; tests build it with their own configuration and run it on Kestrel.
/// </summary>
public static class WebApiApp
{
    /// <summary>Builds the application: services, middleware and endpoints.</summary>
    /// <param name="options">The host's options (arguments, content root, environment).</param>
    /// <param name="configure">Adjusts the builder (configuration, logging, URLs) before the services are registered.</param>
    /// <returns>The application, ready to start.</returns>
    /// <exception cref="InvalidOperationException">The configuration is invalid (<c>FakeModels</c>); invalid keys or limits fail at start.</exception>
    public static WebApplication Build(WebApplicationOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = WebApplication.CreateBuilder(options);
        configure?.Invoke(builder);
        AddServices(builder);
        var app = builder.Build();
        UsePipeline(app);
        return app;
    }

    private static void AddServices(WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;

        // The wire format: snake_case members and enum values, NaN allowed (a standard error of one case is NaN).
        services.Configure<JsonOptions>(json =>
        {
            json.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            json.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
            json.SerializerOptions.NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals;
        });

        // Binding failures (malformed JSON, a string where a number belongs) reach ApiExceptionHandler, which names the field.
        services.Configure<RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        services.AddProblemDetails(problems => problems.CustomizeProblemDetails = ApiProblems.AddEnvelope);
        services.AddExceptionHandler<ApiExceptionHandler>();

        // API keys (X-Api-Key), each mapped to a tenant, and a rate limit per key.
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ApiKeyOptions>, ApiKeyOptionsValidator>();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.Section))
            .Validate(o => o.PermitLimit >= 1 && o.AnonymousPermitLimit >= 1 && o.WindowSeconds >= 1, $"{RateLimitOptions.Section}: PermitLimit, AnonymousPermitLimit and WindowSeconds must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyStore>();
        services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, configureOptions: null);
        services.AddAuthorization();
        services.AddApiRateLimiting();
        services.AddOpenApi(openApi => openApi.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "EvalKit evaluation API";
            document.Info.Description =
                "The evaluation platform's REST surface on EvalKit: models, benchmarks, evaluations, A/B tests, experiments and " +
                "model selection. Authenticate with the X-Api-Key header. Responses use the envelope { success, data, metadata, " +
                "pagination }; errors are RFC 7807 problem details with success: false and metadata.";
            return Task.CompletedTask;
        }));

        // EvalKit on a SQLite file, with a few more scorers than exact match.
        var databasePath = Path.GetFullPath(configuration["Storage:DatabasePath"] ?? "evalkit-webapi.db", builder.Environment.ContentRootPath);
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        services.AddEvalKit(evalKit => evalKit.RetryBaseDelay = TimeSpan.FromMilliseconds(50))
            .UseSqliteStorage(new SqliteConnectionStringBuilder { DataSource = databasePath }.ConnectionString)
            .AddScorer(new ContainsScorer(TextNormalization.Lenient))
            .AddScorer(new SquadExactMatchScorer())
            .AddScorer(new SquadF1Scorer())
            .AddScorer(new NumericScorer())
            .AddScorer(new BleuScorer())
            .AddScorer(new RougeScorer());

        // Long operations run in the background (each in its request's tenant); the observer tells when a run has started.
        services.AddSingleton<RunStartSignals>();
        services.AddSingleton<IEvaluationObserver>(sp => sp.GetRequiredService<RunStartSignals>());
        services.AddSingleton<BackgroundJobs>();
        services.AddHostedService(sp => sp.GetRequiredService<BackgroundJobs>());

        AddModelClients(services, configuration);
    }

    // EvalKit finds a model's client as the keyed IChatClient whose key is the model id. This sample registers offline,
    // deterministic fakes so that it runs anywhere. A real OpenAI-compatible endpoint (OpenAI, Azure OpenAI, Ollama,
    // vLLM, LM Studio...) is plugged the same way, with the Microsoft.Extensions.AI.OpenAI package:
    //
    //   services.AddKeyedChatClient("openai/gpt-4o-mini", sp =>
    //       new OpenAI.Chat.ChatClient(
    //               "gpt-4o-mini",
    //               new System.ClientModel.ApiKeyCredential(configuration["OpenAI:ApiKey"]),   // from a secret store, never from code
    //               new OpenAI.OpenAIClientOptions { Endpoint = new Uri(configuration["OpenAI:Endpoint"]!) })
    //           .AsIChatClient())
    //       .UseOpenTelemetry();   // the host's own M.E.AI pipeline: logging, telemetry, caching...
    //
    // then register the model (POST /models with id "openai/gpt-4o-mini") and evaluate it like any other.
    private static void AddModelClients(IServiceCollection services, ConfigurationManager configuration)
    {
        var fakes = configuration.GetSection(FakeModelOptions.Section).Get<List<FakeModelOptions>>() ?? [];
        services.AddSingleton<AnswerBook>();
        for (var i = 0; i < fakes.Count; i++)
        {
            var fake = fakes[i];
            if (string.IsNullOrWhiteSpace(fake.ModelId) || fake.WrongPercent is < 0 or > 100)
            {
                throw new InvalidOperationException(
                    $"{FakeModelOptions.Section}:{i} is invalid: ModelId is required and WrongPercent must lie in [0, 100] (was '{fake.ModelId}', {fake.WrongPercent}).");
            }

            services.AddKeyedChatClient(fake.ModelId, sp => new FakeChatClient(fake, sp.GetRequiredService<AnswerBook>()));
        }
    }

    private static void UsePipeline(WebApplication app)
    {
        app.UseRequestIds();
        app.UseRequestLogging();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseAuthentication();

        // Every authenticated request runs as its key's tenant: EvalKit stamps that tenant on what it writes and filters
        // what it reads by it, so one tenant never sees another's models, datasets, runs or tests.
        app.Use(async (context, next) =>
        {
            if (context.User.FindFirstValue(ApiKeyAuthenticationHandler.TenantClaim) is not { } tenant)
            {
                await next(context);
                return;
            }

            using (EvalKitTenant.Use(tenant))
            {
                await next(context);
            }
        });
        app.UseRateLimiter();
        app.UseAuthorization();

        app.MapOpenApi().AllowAnonymous();
        var api = app.MapGroup(Api.Prefix).RequireAuthorization();
        ModelEndpoints.Map(api);
        BenchmarkEndpoints.Map(api);
        EvaluationEndpoints.Map(api);
        AbTestEndpoints.Map(api);
        ExperimentEndpoints.Map(api);
        SelectionEndpoints.Map(api);
    }
}
