using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvalKit.Samples.WebApi.Tests;

/// <summary>
/// The sample host, started once for the test collection on a real Kestrel socket (127.0.0.1, port 0, the bound address
/// read back), with a SQLite file in a temporary folder, test API keys and every log entry captured.
/// </summary>
public sealed class WebApiHost : IAsyncLifetime
{
    /// <summary>The key of tenant "acme", used by the main flow.</summary>
    public const string AcmeKey = "test-acme-key-7f3a9c1e5b2d4086";

    /// <summary>The key of tenant "globex", used to check isolation.</summary>
    public const string GlobexKey = "test-globex-key-2b8e6d0f4a1c9375";

    /// <summary>The key of tenant "initech", whose client may make only <see cref="LimitedPermits"/> requests per hour.</summary>
    public const string LimitedKey = "test-limited-key-9d4c2a7e1f6b3058";

    /// <summary>The requests per window of <see cref="LimitedKey"/>.</summary>
    public const int LimitedPermits = 3;

    /// <summary>The fake model that is always right.</summary>
    public const string Oracle = "local/oracle";

    /// <summary>The fake model that is wrong on 60% of the prompts.</summary>
    public const string Weak = "local/weak";

    /// <summary>The fake model that never answers.</summary>
    public const string Stalled = "local/stalled";

    private readonly string _directory = Directory.CreateTempSubdirectory("evalkit-webapi-").FullName;
    private WebApplication? _app;

    /// <summary>Gets every configured key.</summary>
    public static IReadOnlyList<string> Keys { get; } = [AcmeKey, GlobexKey, LimitedKey];

    /// <summary>Gets the host's clock: ten years ahead of the system's, so that times it produced are recognizable.</summary>
    public static ShiftedTimeProvider Clock { get; } = new(TimeSpan.FromDays(3650));

    /// <summary>Gets the captured logs.</summary>
    public LogCapture Logs { get; } = new();

    /// <summary>Gets a client whose base address is the bound Kestrel address.</summary>
    public HttpClient Http { get; private set; } = null!;

    /// <inheritdoc/>
    public async ValueTask InitializeAsync()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:DatabasePath"] = Path.Combine(_directory, "evalkit.db"),
            ["Authentication:ApiKeys:0:Name"] = "acme-tests",
            ["Authentication:ApiKeys:0:Key"] = AcmeKey,
            ["Authentication:ApiKeys:0:Tenant"] = "acme",
            ["Authentication:ApiKeys:1:Name"] = "globex-tests",
            ["Authentication:ApiKeys:1:Key"] = GlobexKey,
            ["Authentication:ApiKeys:1:Tenant"] = "globex",
            ["Authentication:ApiKeys:2:Name"] = "limited-tests",
            ["Authentication:ApiKeys:2:Key"] = LimitedKey,
            ["Authentication:ApiKeys:2:Tenant"] = "initech",
            ["Authentication:ApiKeys:2:PermitLimit"] = LimitedPermits.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["RateLimiting:PermitLimit"] = "1000000",
            ["RateLimiting:AnonymousPermitLimit"] = "1000",
            ["RateLimiting:WindowSeconds"] = "3600",
            ["FakeModels:0:ModelId"] = Oracle,
            ["FakeModels:0:WrongPercent"] = "0",
            ["FakeModels:1:ModelId"] = Weak,
            ["FakeModels:1:WrongPercent"] = "60",
            ["FakeModels:2:ModelId"] = Stalled,
            ["FakeModels:2:NeverAnswers"] = "true",
        };

        _app = WebApiApp.Build(
            new WebApplicationOptions { ContentRootPath = _directory, EnvironmentName = "Testing", ApplicationName = typeof(WebApiApp).Assembly.GetName().Name },
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(settings);
                builder.WebHost.UseUrls("http://127.0.0.1:0");
                builder.Services.AddSingleton<TimeProvider>(Clock);
                builder.Logging.ClearProviders();
                builder.Logging.SetMinimumLevel(LogLevel.Trace);
                builder.Logging.AddProvider(Logs);
            });
        await _app.StartAsync(TestContext.Current.CancellationToken);
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Http = new HttpClient { BaseAddress = new Uri(address) };
    }

    /// <summary>Sends a request and reads the JSON answer.</summary>
    /// <param name="method">The method.</param>
    /// <param name="path">The path (and query).</param>
    /// <param name="key">The API key to send, or <see langword="null"/> for none.</param>
    /// <param name="body">The JSON body, or <see langword="null"/>.</param>
    /// <param name="requestId">An <c>X-Request-Id</c> to send, or <see langword="null"/>.</param>
    /// <returns>The response and its JSON body (<c>default</c> when it has none).</returns>
    public async Task<ApiAnswer> SendAsync(HttpMethod method, string path, string? key, object? body = null, string? requestId = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (key is not null)
        {
            request.Headers.Add("X-Api-Key", key);
        }

        if (requestId is not null)
        {
            request.Headers.Add("X-Request-Id", requestId);
        }

        if (body is not null)
        {
            request.Content = new StringContent(body as string ?? JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request, TestContext.Current.CancellationToken);
        var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var json = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return new ApiAnswer(
            (int)response.StatusCode,
            response.Content.Headers.ContentType,
            response.Headers.ToDictionary(h => h.Key, h => string.Join(",", h.Value), StringComparer.OrdinalIgnoreCase),
            json,
            text);
    }

    /// <summary>GETs a resource with a key and returns its <c>data</c>, failing unless the answer is 200.</summary>
    /// <param name="path">The path.</param>
    /// <param name="key">The key.</param>
    /// <returns>The data.</returns>
    public async Task<JsonElement> GetDataAsync(string path, string key)
    {
        var answer = await SendAsync(HttpMethod.Get, path, key);
        answer.Status.Should().Be(200, answer.Text);
        return answer.Json.GetProperty("data");
    }

    /// <summary>
    /// Polls a resource until a condition holds: a bounded loop of requests, each awaited, with no delay between them.
    /// </summary>
    /// <param name="path">The path.</param>
    /// <param name="key">The key.</param>
    /// <param name="done">The condition on the resource's data.</param>
    /// <param name="maxPolls">The most requests to make.</param>
    /// <returns>The data that satisfied the condition.</returns>
    public async Task<JsonElement> PollAsync(string path, string key, Func<JsonElement, bool> done, int maxPolls = 50_000)
    {
        JsonElement data = default;
        for (var i = 0; i < maxPolls; i++)
        {
            data = await GetDataAsync(path, key);
            if (done(data))
            {
                return data;
            }
        }

        throw new Xunit.Sdk.XunitException($"{path} did not reach the expected state after {maxPolls} polls; last: {data}");
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None);
            await _app.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}

/// <summary>An HTTP answer: status, content type, headers and JSON body.</summary>
/// <param name="Status">The status code.</param>
/// <param name="ContentType">The content type.</param>
/// <param name="Headers">The response headers.</param>
/// <param name="Json">The body, parsed.</param>
/// <param name="Text">The body as text.</param>
public sealed record ApiAnswer(int Status, MediaTypeHeaderValue? ContentType, IReadOnlyDictionary<string, string> Headers, JsonElement Json, string Text)
{
    /// <summary>Gets the <c>data</c> member.</summary>
    public JsonElement Data => Json.GetProperty("data");
}

/// <summary>The tests that share one host.</summary>
[CollectionDefinition(nameof(WebApiCollection))]
public sealed class WebApiCollection : ICollectionFixture<WebApiHost>;
