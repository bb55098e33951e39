using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EvalKit.Integration.Tests;

/// <summary>What the server does with one request: answer, or fail with a status (and a Retry-After), or never answer.</summary>
/// <param name="Status">The HTTP status; 200 answers.</param>
/// <param name="RetryAfter">The Retry-After header in seconds, if any.</param>
/// <param name="Hang">Whether the request waits until the client gives up.</param>
public readonly record struct ScriptedReply(int Status, int? RetryAfter = null, bool Hang = false)
{
    public static ScriptedReply Ok => new(200);
}

/// <summary>One request the server saw.</summary>
/// <param name="Key">The scripted key: the number in the prompt "What is N + N?", or -1 for any other prompt.</param>
/// <param name="Attempt">The request's 1-based number among the requests with this key.</param>
/// <param name="Timestamp">When it arrived (<see cref="Stopwatch.GetTimestamp"/>).</param>
/// <param name="Status">What the server answered.</param>
/// <param name="Authorization">The Authorization header sent.</param>
public sealed record SeenRequest(int Key, int Attempt, long Timestamp, int Status, string? Authorization);

/// <summary>
/// An OpenAI-compatible chat completions endpoint on Kestrel (loopback, a free port), answering "What is N + N?" with 2N
/// and usage of (100 + N) prompt and (1 + N) completion tokens, or failing as <c>script(N, attempt)</c> says.
/// </summary>
public sealed class OpenAiCompatibleServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Func<int, int, ScriptedReply> _script;
    private readonly List<SeenRequest> _seen = [];
    private readonly Dictionary<int, int> _attempts = [];

    private OpenAiCompatibleServer(WebApplication app, Func<int, int, ScriptedReply> script)
    {
        _app = app;
        _script = script;
    }

    /// <summary>Gets the base address, such as http://127.0.0.1:41234.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Gets the requests seen so far, in arrival order.</summary>
    public IReadOnlyList<SeenRequest> Seen
    {
        get
        {
            lock (_seen)
            {
                return [.. _seen];
            }
        }
    }

    public static int PromptTokens(int n) => 100 + n;

    public static int CompletionTokens(int n) => 1 + n;

    public static async Task<OpenAiCompatibleServer> StartAsync(Func<int, int, ScriptedReply> script, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var server = new OpenAiCompatibleServer(app, script);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync(cancellationToken);
        server.BaseUrl = app.Urls.Single();
        new Uri(server.BaseUrl).Port.Should().BePositive();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    private static int KeyOf(JsonElement request)
    {
        var user = request.GetProperty("messages").EnumerateArray().Last(m => m.GetProperty("role").GetString() == "user");
        var content = user.GetProperty("content");
        var text = content.ValueKind == JsonValueKind.String
            ? content.GetString()!
            : string.Concat(content.EnumerateArray().Select(part => part.TryGetProperty("text", out var t) ? t.GetString() : null));
        var words = text.Split(' ');
        return words.Length == 5 && words[0] == "What" && int.TryParse(words[2], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
        var key = KeyOf(request.RootElement);
        int attempt;
        lock (_seen)
        {
            attempt = _attempts[key] = _attempts.GetValueOrDefault(key) + 1;
        }

        var reply = key < 0 ? ScriptedReply.Ok : _script(key, attempt);
        lock (_seen)
        {
            _seen.Add(new SeenRequest(key, attempt, Stopwatch.GetTimestamp(), reply.Hang ? 0 : reply.Status, context.Request.Headers.Authorization.ToString()));
        }

        if (reply.Hang)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping);
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // The client gave up (or the server stops): nothing to answer.
            }

            return;
        }

        context.Response.ContentType = "application/json";
        if (reply.Status != 200)
        {
            context.Response.StatusCode = reply.Status;
            if (reply.RetryAfter is { } seconds)
            {
                context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            }

            var error = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = $"scripted failure {reply.Status} for case {key}, attempt {attempt}",
                    ["type"] = reply.Status == 400 ? "invalid_request_error" : "server_error",
                    ["code"] = null,
                },
            };
            await context.Response.WriteAsync(error.ToJsonString(), context.RequestAborted);
            return;
        }

        var answer = key < 0 ? "ok" : (key + key).ToString(CultureInfo.InvariantCulture);
        var body = new JsonObject
        {
            ["id"] = $"chatcmpl-{key}-{attempt}",
            ["object"] = "chat.completion",
            ["created"] = 1_767_225_600,
            ["model"] = request.RootElement.GetProperty("model").GetString(),
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = answer },
                ["logprobs"] = null,
                ["finish_reason"] = "stop",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = PromptTokens(key),
                ["completion_tokens"] = CompletionTokens(key),
                ["total_tokens"] = PromptTokens(key) + CompletionTokens(key),
            },
        };
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}
