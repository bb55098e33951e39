namespace EvalKit.Samples.WebApi.Tests;

/// <summary>The OpenAPI document.</summary>
[Collection(nameof(WebApiCollection))]
public sealed class OpenApiTests(WebApiHost host)
{
    [Fact]
    public async Task Document_ListsEveryRoute_WithItsMethods()
    {
        var answer = await host.SendAsync(HttpMethod.Get, "/openapi/v1.json", key: null);

        answer.Status.Should().Be(200, answer.Text);
        var paths = answer.Json.GetProperty("paths");
        var expected = new Dictionary<string, string[]>
        {
            ["/models"] = ["get", "post"],
            ["/models/{id}"] = ["get", "patch", "delete"],
            ["/models/{id}/deprecate"] = ["post"],
            ["/benchmarks"] = ["get", "post"],
            ["/benchmarks/{id}"] = ["get"],
            ["/evaluations"] = ["post"],
            ["/evaluations/{id}"] = ["get"],
            ["/evaluations/{id}/results"] = ["get"],
            ["/evaluations/{id}/cancel"] = ["post"],
            ["/ab-tests"] = ["post"],
            ["/ab-tests/{id}"] = ["get"],
            ["/ab-tests/{id}/execute"] = ["post"],
            ["/ab-tests/{id}/results"] = ["get"],
            ["/experiments"] = ["post"],
            ["/experiments/{id}"] = ["get"],
            ["/experiments/{id}/run"] = ["post"],
            ["/experiments/{id}/runs"] = ["get"],
            ["/selection/recommend"] = ["post"],
            ["/selection/explain"] = ["post"],
        };

        paths.EnumerateObject().Select(p => p.Name).Should().BeEquivalentTo(expected.Keys.Select(k => "/api/v1/evaluation" + k));
        foreach (var (path, methods) in expected)
        {
            paths.GetProperty("/api/v1/evaluation" + path).EnumerateObject().Select(m => m.Name).Where(m => m != "parameters")
                .Should().BeEquivalentTo(methods, path);
        }

        var list = paths.GetProperty("/api/v1/evaluation/models").GetProperty("get");
        list.GetProperty("operationId").GetString().Should().Be("ListModels");
        list.GetProperty("parameters").EnumerateArray().Select(p => p.GetProperty("name").GetString()).Should().Contain(["page", "page_size"]);
        answer.Json.GetProperty("info").GetProperty("title").GetString().Should().Be("EvalKit evaluation API");
    }
}
