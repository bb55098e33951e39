using System.ClientModel;
using System.ClientModel.Primitives;
using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Registry;
using Microsoft.Extensions.AI;
using OpenAI;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// The models one quick-start evaluates: their registry entries, the <see cref="IChatClient"/> of each (keyed by model id)
/// and the run options. Either the three simulated local models or the models of an OpenAI-compatible server.
/// </summary>
internal sealed class ModelSet : IDisposable
{
    private readonly List<IDisposable> _owned;

    private ModelSet(string headline, string reportTitle, IReadOnlyList<ModelDescriptor> descriptors, IReadOnlyDictionary<string, IChatClient> clients, EvaluationOptions? runOptions, List<IDisposable> owned)
    {
        Headline = headline;
        ReportTitle = reportTitle;
        Descriptors = descriptors;
        Clients = clients;
        RunOptions = runOptions;
        _owned = owned;
    }

    /// <summary>Gets the first lines the quick-start prints.</summary>
    public string Headline { get; }

    /// <summary>Gets the HTML report's title.</summary>
    public string ReportTitle { get; }

    /// <summary>Gets the registry entries, in the order given.</summary>
    public IReadOnlyList<ModelDescriptor> Descriptors { get; }

    /// <summary>Gets the chat client of each model, keyed by model id.</summary>
    public IReadOnlyDictionary<string, IChatClient> Clients { get; }

    /// <summary>Gets the options of every run, or <see langword="null"/> for the benchmark's defaults.</summary>
    public EvaluationOptions? RunOptions { get; }

    /// <summary>The three simulated local models, answering from the dataset's answer key.</summary>
    /// <param name="answers">What the simulated models know.</param>
    /// <returns>The set.</returns>
    public static ModelSet Local(AnswerKey answers) =>
        new(
            "EvalKit quick-start: three local models, one benchmark, offline, on SQLite.",
            "EvalKit quick-start: three local models",
            [.. QuickStart.Models.Select(m => m.Descriptor)],
            QuickStart.Models.ToDictionary(m => m.Descriptor.Id, m => (IChatClient)new SimulatedChatClient(m.Behavior, answers), StringComparer.Ordinal),
            runOptions: null,
            owned: []);

    /// <summary>
    /// The models of an OpenAI-compatible server, called through Microsoft.Extensions.AI.OpenAI. The key, when given, is
    /// handed to the client only: the registry entry names the environment variable it came from
    /// (<see cref="ModelDescriptor.CredentialName"/>), and nothing prints it.
    /// </summary>
    /// <param name="endpoint">The server's base address, such as <c>http://localhost:11434/v1</c>.</param>
    /// <param name="names">The model names, which are also their registry ids.</param>
    /// <param name="apiKey">The API key from <see cref="QuickStart.ApiKeyVariable"/>, or <see langword="null"/> when it is not set.</param>
    /// <returns>The set; dispose it to release the clients.</returns>
    public static ModelSet Endpoint(Uri endpoint, IReadOnlyList<string> names, string? apiKey)
    {
        var hasKey = !string.IsNullOrEmpty(apiKey);

        // Servers without authentication (a local Ollama or vLLM) ignore the header; the SDK needs a non-empty key.
        var openAi = new OpenAIClient(new ApiKeyCredential(hasKey ? apiKey! : "no-key"), new OpenAIClientOptions
        {
            Endpoint = endpoint,

            // EvalKit's engine retries transient failures (with back-off and Retry-After) and counts them; the SDK's own
            // retries would hide them.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = TimeSpan.FromMinutes(5),
        });
        var owned = new List<IDisposable>();
        var clients = new Dictionary<string, IChatClient>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            var client = openAi.GetChatClient(name).AsIChatClient();
            owned.Add(client);
            clients[name] = client;
        }

        var descriptors = names.Select(name => new ModelDescriptor
        {
            Id = name,
            DisplayName = $"{name} at {endpoint.Authority}",
            Provider = "openai-compatible",
            Endpoint = endpoint,
            CredentialName = hasKey ? QuickStart.ApiKeyVariable : null,
            Capabilities = new HashSet<string> { "chat" },
        }).ToList();
        var key = hasKey
            ? $"API key    from the environment variable {QuickStart.ApiKeyVariable} (sent as a Bearer token; never printed or stored)"
            : $"API key    none ({QuickStart.ApiKeyVariable} is not set)";
        var count = names.Count == 1 ? "one model" : string.Create(CultureInfo.InvariantCulture, $"{names.Count} models");
        return new ModelSet(
            $"EvalKit quick-start: {count} at the OpenAI-compatible endpoint {endpoint}, one benchmark, on SQLite.{Environment.NewLine}{key}",
            $"EvalKit quick-start: {count} at {endpoint.Authority}",
            descriptors,
            clients,

            // Real servers are slower than the simulated models: a longer timeout, answers kept short.
            new EvaluationOptions { MaxConcurrency = 4, MaxRetries = 3, Timeout = TimeSpan.FromMinutes(2), Temperature = 0, Seed = 42, MaxOutputTokens = 64 },
            owned);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        foreach (var client in _owned)
        {
            client.Dispose();
        }
    }
}
