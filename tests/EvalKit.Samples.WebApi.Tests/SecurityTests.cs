using System.Globalization;

namespace EvalKit.Samples.WebApi.Tests;

/// <summary>API keys, tenants, the rate limit, and keys kept out of the logs.</summary>
[Collection(nameof(WebApiCollection))]
public sealed class SecurityTests(WebApiHost host)
{
    private const string Api = "/api/v1/evaluation";
    private const string WrongKey = "wrong-key-5e1d7c3b9a0f2468";

    [Fact]
    public async Task NoKey_IsUnauthorized_WithAProblemThatSaysWhatToSend()
    {
        var answer = await host.SendAsync(HttpMethod.Get, $"{Api}/models", key: null);

        answer.Status.Should().Be(401);
        answer.ContentType!.MediaType.Should().Be("application/problem+json");
        answer.Headers["WWW-Authenticate"].Should().Contain("X-Api-Key");
        answer.Json.GetProperty("success").GetBoolean().Should().BeFalse();
        answer.Json.GetProperty("detail").GetString().Should().Contain("X-Api-Key");
        answer.Json.GetProperty("metadata").GetProperty("request_id").GetString().Should().Be(answer.Headers["X-Request-Id"]);
    }

    [Fact]
    public async Task WrongKey_IsUnauthorized_EvenForWrites()
    {
        var read = await host.SendAsync(HttpMethod.Get, $"{Api}/models", WrongKey);
        var write = await host.SendAsync(HttpMethod.Post, $"{Api}/models", WrongKey, new { id = "intruder/model" });
        var prefix = await host.SendAsync(HttpMethod.Get, $"{Api}/models", WebApiHost.AcmeKey[..^1]);

        foreach (var answer in new[] { read, write, prefix })
        {
            answer.Status.Should().Be(401, answer.Text);
            answer.Json.GetProperty("detail").GetString().Should().Contain("not valid");
        }

        var stored = await host.SendAsync(HttpMethod.Get, $"{Api}/models/{Uri.EscapeDataString("intruder/model")}", WebApiHost.AcmeKey);
        stored.Status.Should().Be(404, "the unauthenticated write stored nothing");
    }

    [Fact]
    public async Task TenantB_CannotSeeTenantAsModel()
    {
        var path = $"{Api}/models/{Uri.EscapeDataString("isolation/acme-only")}";
        var created = await host.SendAsync(HttpMethod.Post, $"{Api}/models", WebApiHost.AcmeKey, new { id = "isolation/acme-only", provider = "local" });
        created.Status.Should().Be(201, created.Text);

        var asAcme = await host.SendAsync(HttpMethod.Get, path, WebApiHost.AcmeKey);
        var asGlobex = await host.SendAsync(HttpMethod.Get, path, WebApiHost.GlobexKey);
        var globexList = await host.SendAsync(HttpMethod.Get, $"{Api}/models?text=isolation/", WebApiHost.GlobexKey);
        var globexDelete = await host.SendAsync(HttpMethod.Delete, path, WebApiHost.GlobexKey);

        asAcme.Status.Should().Be(200);
        asGlobex.Status.Should().Be(404, "tenant globex must not see tenant acme's model");
        globexList.Json.GetProperty("pagination").GetProperty("total").GetInt64().Should().Be(0);
        globexDelete.Status.Should().Be(404, "tenant globex must not delete tenant acme's model");
        (await host.SendAsync(HttpMethod.Get, path, WebApiHost.AcmeKey)).Status.Should().Be(200, "acme's model is still there");
    }

    [Fact]
    public async Task OverTheLimit_IsTooManyRequests_WithRetryAfter()
    {
        for (var i = 0; i < WebApiHost.LimitedPermits; i++)
        {
            (await host.SendAsync(HttpMethod.Get, $"{Api}/models", WebApiHost.LimitedKey)).Status.Should().Be(200, $"request {i + 1} is within the limit");
        }

        var limited = await host.SendAsync(HttpMethod.Get, $"{Api}/models", WebApiHost.LimitedKey);
        var otherClient = await host.SendAsync(HttpMethod.Get, $"{Api}/models", WebApiHost.GlobexKey);

        limited.Status.Should().Be(429, limited.Text);
        var retryAfter = int.Parse(limited.Headers["Retry-After"], NumberStyles.None, CultureInfo.InvariantCulture);
        retryAfter.Should().BeInRange(1, 3600, "the window is an hour");
        limited.ContentType!.MediaType.Should().Be("application/problem+json");
        limited.Json.GetProperty("success").GetBoolean().Should().BeFalse();
        limited.Json.GetProperty("retry_after_seconds").GetInt64().Should().Be(retryAfter);
        otherClient.Status.Should().Be(200, "each API key has its own limit");
    }

    [Fact]
    public async Task ApiKeys_NeverAppearInTheLogs()
    {
        (await host.SendAsync(HttpMethod.Get, $"{Api}/models", WebApiHost.AcmeKey, requestId: "log-check-ok")).Status.Should().Be(200);
        (await host.SendAsync(HttpMethod.Get, $"{Api}/models", WrongKey, requestId: "log-check-wrong")).Status.Should().Be(401);
        (await host.SendAsync(HttpMethod.Post, $"{Api}/models", WebApiHost.GlobexKey, new { id = "log/check", metadata = new { note = "harmless" } })).Status.Should().Be(201);

        var logs = host.Logs.Entries;
        logs.Should().Contain(e => e.Contains("log-check-ok", StringComparison.Ordinal) && e.Contains("acme-tests", StringComparison.Ordinal),
            "the request line names the client and carries the request id");
        logs.Should().Contain(e => e.Contains("log-check-wrong", StringComparison.Ordinal) && e.Contains("matches no configured client", StringComparison.Ordinal),
            "the rejection is logged");
        foreach (var secret in WebApiHost.Keys.Append(WrongKey))
        {
            logs.Should().NotContain(e => e.Contains(secret, StringComparison.Ordinal), "an API key must never be logged");
        }
    }
}
