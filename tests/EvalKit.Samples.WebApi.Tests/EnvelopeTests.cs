using System.Globalization;
using System.Text.Json;

namespace EvalKit.Samples.WebApi.Tests;

/// <summary>The response envelope, request ids, pagination and validation problems.</summary>
[Collection(nameof(WebApiCollection))]
public sealed class EnvelopeTests(WebApiHost host)
{
    private const string Api = "/api/v1/evaluation";
    private const string Key = WebApiHost.AcmeKey;

    [Fact]
    public async Task Success_HasTheEnvelope_WithTheRequestIdOfTheHeader()
    {
        var created = await host.SendAsync(HttpMethod.Post, $"{Api}/models", Key, new { id = "envelope/model", provider = "local" });
        created.Status.Should().Be(201, created.Text);

        var answer = await host.SendAsync(HttpMethod.Get, $"{Api}/models/{Uri.EscapeDataString("envelope/model")}", Key);

        answer.Status.Should().Be(200);
        answer.ContentType!.MediaType.Should().Be("application/json");
        answer.Json.EnumerateObject().Select(p => p.Name).Should().Equal("success", "data", "metadata");
        answer.Json.GetProperty("success").GetBoolean().Should().BeTrue();
        answer.Data.GetProperty("id").GetString().Should().Be("envelope/model");
        answer.Data.GetProperty("display_name").ValueKind.Should().Be(JsonValueKind.Null, "members are snake_case");
        var metadata = answer.Json.GetProperty("metadata");
        metadata.GetProperty("version").GetString().Should().Be("v1");
        metadata.GetProperty("request_id").GetString().Should().Be(answer.Headers["X-Request-Id"]).And.NotBeNullOrEmpty();
        DateTimeOffset.Parse(metadata.GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture).Offset.Should().Be(TimeSpan.Zero);
    }

    [Fact]
    public async Task Timestamps_ComeFromTheHostsTimeProvider()
    {
        var created = await host.SendAsync(HttpMethod.Post, $"{Api}/models", Key, new { id = "clock/model" });
        created.Status.Should().Be(201, created.Text);

        var system = TimeProvider.System.GetUtcNow();
        var stamped = DateTimeOffset.Parse(created.Json.GetProperty("metadata").GetProperty("timestamp").GetString()!, CultureInfo.InvariantCulture);
        var updated = DateTimeOffset.Parse(created.Data.GetProperty("updated_at").GetString()!, CultureInfo.InvariantCulture);

        (stamped - system).Should().BeGreaterThan(WebApiHost.Clock.Offset / 2, "the envelope's timestamp comes from the injected clock, not the system's");
        (updated - system).Should().BeGreaterThan(WebApiHost.Clock.Offset / 2, "EvalKit gets the same clock");
    }

    [Fact]
    public async Task RequestIds_AreUniquePerRequest_AndASafeCallerIdIsKept()
    {
        var first = await host.SendAsync(HttpMethod.Get, $"{Api}/models", Key);
        var second = await host.SendAsync(HttpMethod.Get, $"{Api}/models", Key);
        var kept = await host.SendAsync(HttpMethod.Get, $"{Api}/models", Key, requestId: "caller-trace-42");
        var replaced = await host.SendAsync(HttpMethod.Get, $"{Api}/models", Key, requestId: "not safe <script>");

        first.Headers["X-Request-Id"].Should().NotBe(second.Headers["X-Request-Id"]);
        kept.Headers["X-Request-Id"].Should().Be("caller-trace-42");
        kept.Json.GetProperty("metadata").GetProperty("request_id").GetString().Should().Be("caller-trace-42");
        replaced.Headers["X-Request-Id"].Should().NotContain("<").And.MatchRegex("^[0-9a-f]{32}$");
        replaced.Json.GetProperty("metadata").GetProperty("request_id").GetString().Should().Be(replaced.Headers["X-Request-Id"]);
    }

    [Fact]
    public async Task Lists_ArePaged_WithPaginationMath()
    {
        foreach (var i in new[] { 5, 3, 1, 4, 2 })
        {
            (await host.SendAsync(HttpMethod.Post, $"{Api}/models", Key, new { id = $"paging/m{i}" })).Status.Should().Be(201);
        }

        var ids = new List<string>();
        for (var page = 1; page <= 4; page++)
        {
            var answer = await host.SendAsync(HttpMethod.Get, $"{Api}/models?text=paging/&page={page}&page_size=2", Key);
            answer.Status.Should().Be(200, answer.Text);
            var pagination = answer.Json.GetProperty("pagination");
            pagination.GetProperty("page").GetInt32().Should().Be(page);
            pagination.GetProperty("page_size").GetInt32().Should().Be(2);
            pagination.GetProperty("total").GetInt64().Should().Be(5);
            pagination.GetProperty("total_pages").GetInt64().Should().Be(3, "ceil(5 / 2)");
            var items = answer.Data.EnumerateArray().Select(m => m.GetProperty("id").GetString()!).ToList();
            items.Should().HaveCount(page switch { 1 or 2 => 2, 3 => 1, _ => 0 }, "page 4 is past the last page");
            ids.AddRange(items);
        }

        ids.Should().Equal("paging/m1", "paging/m2", "paging/m3", "paging/m4", "paging/m5");

        var whole = await host.SendAsync(HttpMethod.Get, $"{Api}/models?text=paging/&page_size=5", Key);
        whole.Json.GetProperty("pagination").GetProperty("total_pages").GetInt64().Should().Be(1);
        var defaults = await host.SendAsync(HttpMethod.Get, $"{Api}/models?text=paging/", Key);
        defaults.Json.GetProperty("pagination").GetProperty("page").GetInt32().Should().Be(1);
        defaults.Json.GetProperty("pagination").GetProperty("page_size").GetInt32().Should().Be(20);
        var none = await host.SendAsync(HttpMethod.Get, $"{Api}/models?text=no-such-model-anywhere", Key);
        none.Json.GetProperty("pagination").GetProperty("total").GetInt64().Should().Be(0);
        none.Json.GetProperty("pagination").GetProperty("total_pages").GetInt64().Should().Be(0);
    }

    [Theory]
    [InlineData("GET", "/models?page=0", null, "page")]
    [InlineData("GET", "/models?page_size=101", null, "page_size")]
    [InlineData("GET", "/models?status=sleeping", null, "status")]
    [InlineData("POST", "/models", """{"provider":"local"}""", "id")]
    [InlineData("POST", "/models", """{"id":"bad id!"}""", "id")]
    [InlineData("POST", "/models", """{"id":"v/ok","context_window":"large"}""", "context_window")]
    [InlineData("POST", "/models", """{"id":"v/ok","pricing":{"input_per_million_tokens":1}}""", "pricing.output_per_million_tokens")]
    [InlineData("POST", "/models", """{"id":"v/ok","provider":"not a provider!"}""", "provider")]
    [InlineData("POST", "/benchmarks", """{"id":"v-b","dataset":{"name":"v","cases":[{"id":"1","input":"a"},{"id":"1","input":"b"}]}}""", "dataset.cases[1].id")]
    [InlineData("POST", "/benchmarks", """{"id":"v-b","scorers":["no_such_scorer"],"dataset_id":"x@1"}""", "scorers[0]")]
    [InlineData("POST", "/evaluations", """{"model_id":"nobody/has-a-client","benchmark_id":"x"}""", "model_id")]
    [InlineData("POST", "/evaluations", """{"model_id":"local/oracle","benchmark_id":"x","options":{"max_concurrency":0}}""", "options.max_concurrency")]
    [InlineData("POST", "/ab-tests", """{"name":"t","model_ids":["a"],"benchmark_id":"x"}""", "model_ids")]
    [InlineData("POST", "/selection/explain", """{"weights":{"quality":-1}}""", "weights.quality")]
    [InlineData("POST", "/selection/recommend", """{"min_success_rate":2}""", "min_success_rate")]
    public async Task InvalidInput_IsAValidationProblem_NamingTheField(string method, string path, string? body, string field)
    {
        var answer = await host.SendAsync(new HttpMethod(method), Api + path, Key, body);

        answer.Status.Should().Be(400, answer.Text);
        answer.ContentType!.MediaType.Should().Be("application/problem+json");
        answer.Json.GetProperty("success").GetBoolean().Should().BeFalse();
        answer.Json.GetProperty("status").GetInt32().Should().Be(400);
        answer.Json.GetProperty("type").GetString().Should().EndWith(":validation");
        answer.Json.GetProperty("errors").TryGetProperty(field, out var messages).Should().BeTrue(answer.Text);
        messages.GetArrayLength().Should().BePositive();
        answer.Json.GetProperty("detail").GetString().Should().Contain(field);
        answer.Json.GetProperty("metadata").GetProperty("request_id").GetString().Should().Be(answer.Headers["X-Request-Id"]);
    }

    [Fact]
    public async Task MissingResources_AreNotFoundProblems()
    {
        var model = await host.SendAsync(HttpMethod.Get, $"{Api}/models/{Uri.EscapeDataString("nobody/here")}", Key);
        var run = await host.SendAsync(HttpMethod.Get, $"{Api}/evaluations/0123456789abcdef", Key);
        var benchmark = await host.SendAsync(HttpMethod.Post, $"{Api}/evaluations", Key, new { model_id = WebApiHost.Oracle, benchmark_id = "no-such-benchmark" });
        var route = await host.SendAsync(HttpMethod.Get, $"{Api}/no-such-route", Key);

        foreach (var answer in new[] { model, run, benchmark, route })
        {
            answer.Status.Should().Be(404, answer.Text);
            answer.ContentType!.MediaType.Should().Be("application/problem+json");
            answer.Json.GetProperty("success").GetBoolean().Should().BeFalse();
            answer.Json.GetProperty("metadata").GetProperty("request_id").GetString().Should().Be(answer.Headers["X-Request-Id"]);
        }

        model.Json.GetProperty("detail").GetString().Should().Contain("nobody/here");
        run.Json.GetProperty("detail").GetString().Should().Contain("0123456789abcdef");
    }
}
