using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EvalKit.Evaluation;

namespace EvalKit.Samples.Tests;

/// <summary>
/// An OpenAI-compatible chat completions endpoint (<c>POST /v1/chat/completions</c>) on 127.0.0.1 and a free port, that
/// knows the quick-start's dataset. It runs on <see cref="HttpListener"/> (part of the base framework): a
/// <c>FrameworkReference</c> to ASP.NET Core in this project would drop the Microsoft.Extensions.* package assemblies
/// from the test output, and the samples started as processes of their own from that folder (the quick-start here, the
/// Workers sample's workers) would no longer find them. It answers deterministically: model <c>m</c> answers case i (in dataset
/// order) with its reference unless <c>wrongEvery[m]</c> divides i + 1, then with "I am not sure.". It requires
/// <c>Authorization: Bearer &lt;key&gt;</c> and answers 401 otherwise; it records every Authorization header it saw.
/// </summary>
internal sealed class QuickStartOpenAiServer : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly string _apiKey;
    private readonly IReadOnlyDictionary<string, int> _wrongEvery;
    private readonly Dictionary<string, (int Index, string Reference)> _cases;
    private readonly List<(string Model, string? Authorization)> _seen = [];
    private readonly Task _loop;

    private QuickStartOpenAiServer(HttpListener listener, string baseUrl, string apiKey, IReadOnlyDictionary<string, int> wrongEvery)
    {
        _listener = listener;
        _apiKey = apiKey;
        _wrongEvery = wrongEvery;
        BaseUrl = baseUrl;
        var dataset = EvalKit.Datasets.Datasets.LoadJsonl(QuickStart.QuickStart.DatasetPath, name: "capitals-and-arithmetic", version: "1");
        _cases = dataset.Cases
            .Select((c, i) => (Prompt: PromptTemplate.Render(QuickStart.QuickStart.PromptTemplateText, c), Index: i, Reference: c.References[0]))
            .ToDictionary(c => c.Prompt, c => (c.Index, c.Reference), StringComparer.Ordinal);
        _loop = Task.Run(AcceptAsync);
    }

    /// <summary>Gets the base address the sample is given, such as http://127.0.0.1:41234/v1.</summary>
    public string BaseUrl { get; }

    /// <summary>Gets the requests seen so far: the model asked for and the Authorization header sent.</summary>
    public IReadOnlyList<(string Model, string? Authorization)> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    /// <summary>Gets the number of cases the server knows.</summary>
    public int CaseCount => _cases.Count;

    /// <summary>Tells whether a model answers case <paramref name="index"/> (0-based, dataset order) correctly.</summary>
    /// <param name="model">The model name.</param>
    /// <param name="index">The case index.</param>
    /// <returns><see langword="true"/> when the answer is the reference.</returns>
    public bool AnswersCorrectly(string model, int index) => (index + 1) % _wrongEvery[model] != 0;

    public static QuickStartOpenAiServer Start(string apiKey, IReadOnlyDictionary<string, int> wrongEvery)
    {
        // HttpListener cannot bind port 0: take a port the system just handed out, and try again if someone took it first.
        for (var attempt = 1; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            var prefix = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/");
            listener.Prefixes.Add(prefix);
            try
            {
                listener.Start();
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
                continue;
            }

            return new QuickStartOpenAiServer(listener, prefix + "v1", apiKey, wrongEvery);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }

    private static string UserText(JsonElement request)
    {
        var user = request.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user");
        var content = user.GetProperty("content");
        return content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(part => part.TryGetProperty("text", out var t) ? t.GetString() : null));
    }

    private async Task AcceptAsync()
    {
        var handlers = new List<Task>();
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                break; // stopped
            }

            handlers.Add(Task.Run(() => HandleAsync(context)));
        }

        await Task.WhenAll(handlers);
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        try
        {
            var (status, body) = await AnswerAsync(context.Request);
            var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException)
        {
            // The client went away or the server stops: nothing to answer.
        }
    }

    private async Task<(int Status, JsonObject Body)> AnswerAsync(HttpListenerRequest request)
    {
        var authorization = request.Headers["Authorization"];
        if (request.HttpMethod != "POST" || request.Url?.AbsolutePath != "/v1/chat/completions")
        {
            return (404, Error($"No route for {request.HttpMethod} {request.Url?.AbsolutePath}.", "not_found"));
        }

        using var json = await JsonDocument.ParseAsync(request.InputStream);
        var model = json.RootElement.GetProperty("model").GetString() ?? string.Empty;
        lock (_seen)
        {
            _seen.Add((model, authorization));
        }

        if (authorization != "Bearer " + _apiKey)
        {
            return (401, Error("Incorrect API key provided.", "invalid_api_key"));
        }

        if (!_wrongEvery.ContainsKey(model))
        {
            return (404, Error($"The model '{model}' does not exist.", "model_not_found"));
        }

        var prompt = UserText(json.RootElement);
        var answer = _cases.TryGetValue(prompt, out var known)
            ? AnswersCorrectly(model, known.Index) ? known.Reference : "I am not sure."
            : "I do not know that question.";
        var promptTokens = 10 + prompt.Length / 4;
        var completionTokens = 1 + answer.Length / 4;
        return (200, new JsonObject
        {
            ["id"] = "chatcmpl-" + (known.Index + 1).ToString(CultureInfo.InvariantCulture),
            ["object"] = "chat.completion",
            ["created"] = 1_767_225_600,
            ["model"] = model,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            },
        });
    }

    private static JsonObject Error(string message, string code) =>
        new() { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error", ["code"] = code } };
}
