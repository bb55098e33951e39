using System.Text;
using Microsoft.Data.Sqlite;

namespace EvalKit.Samples.Tests;

/// <summary>
/// The quick-start's <c>--endpoint URL --model NAME</c> path, run as its own process against a real OpenAI-compatible HTTP
/// server on 127.0.0.1, with the API key in the environment variable only.
/// </summary>
public sealed class QuickStartEndpointTests : IAsyncDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("evalkit-quickstart-endpoint-").FullName;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Main_WithEndpointAndModels_EvaluatesThroughTheServer_WithTheKeyFromTheEnvironmentOnly()
    {
        var apiKey = "qs-test-" + Guid.NewGuid().ToString("N");
        var wrongEvery = new Dictionary<string, int>(StringComparer.Ordinal) { ["acme/strong"] = int.MaxValue, ["acme/medium"] = 10, ["acme/weak"] = 4 };
        await using var server = QuickStartOpenAiServer.Start(apiKey, wrongEvery);
        var databasePath = Path.Combine(_directory, "endpoint.db");

        var result = await QuickStartProcess.RunAsync(
            _directory,
            new Dictionary<string, string?> { [QuickStart.QuickStart.ApiKeyVariable] = apiKey },
            databasePath, "--endpoint", server.BaseUrl, "--model", "acme/strong,acme/weak", "--model", "acme/medium");

        var text = result.StandardOutput;
        result.ExitCode.Should().Be(0, text + result.StandardError);

        // Every call reached the server with the key as a Bearer token: 3 models x 60 cases, then the A/B test's 2 x 60.
        var seen = server.Seen;
        seen.Should().HaveCount(5 * server.CaseCount);
        seen.Should().OnlyContain(s => s.Authorization == "Bearer " + apiKey);
        seen.Select(s => s.Model).Distinct().Should().BeEquivalentTo(wrongEvery.Keys);

        // The table lists the three models in score order: strong (60/60), medium (54/60), weak (45/60).
        var rows = QuickStartStoreChecks.Lines(text).Where(l => l.StartsWith("acme/", StringComparison.Ordinal)).Select(l => l.Split(' ')[0]).ToList();
        rows.Should().Equal(["acme/strong", "acme/medium", "acme/weak"], text);
        text.Should().Contain($"OpenAI-compatible endpoint {server.BaseUrl}").And.Contain($"from the environment variable {QuickStart.QuickStart.ApiKeyVariable}");

        // The A/B verdict and the recommendation agree with what was stored, as on the local models.
        var (modelA, modelB, onlyA, onlyB, _) = await QuickStartStoreChecks.AssertAbVerdictMatchesStoreAsync(text, databasePath);
        (modelA, modelB).Should().Be(("acme/strong", "acme/medium"));
        (onlyA, onlyB).Should().Be((6, 0), "medium misses every 10th case and strong none");
        var recommended = await QuickStartStoreChecks.AssertRecommendationMeetsConstraintAsync(text, databasePath, ["acme/strong", "acme/medium", "acme/weak"]);
        recommended.Should().Be("acme/strong", "the server's models have no prices, so the most accurate one that clears the bar wins");

        // The registry names the credential; the key itself is in neither the output nor any file the quick-start wrote.
        await using (var kit = QuickStartStoreChecks.Open(databasePath))
        {
            foreach (var model in wrongEvery.Keys)
            {
                var descriptor = await kit.Registry.GetAsync(model, Ct);
                descriptor.Should().NotBeNull();
                descriptor!.CredentialName.Should().Be(QuickStart.QuickStart.ApiKeyVariable);
                descriptor.Endpoint.Should().Be(new Uri(server.BaseUrl));
            }
        }

        SqliteConnection.ClearAllPools();
        text.Should().NotContain(apiKey);
        result.StandardError.Should().NotContain(apiKey);
        var files = Directory.GetFiles(_directory);
        files.Should().Contain(databasePath).And.Contain(Path.Combine(_directory, "endpoint-report.html"));
        var key = Encoding.UTF8.GetBytes(apiKey);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file, Ct);
            bytes.AsSpan().IndexOf(key).Should().Be(-1, $"{Path.GetFileName(file)} must not hold the API key");
        }
    }

    [Fact]
    public async Task Main_WithoutTheKeyVariable_SendsNoKey_AndFailsWithTheServersRefusal()
    {
        var apiKey = "qs-test-" + Guid.NewGuid().ToString("N");
        await using var server = QuickStartOpenAiServer.Start(apiKey, new Dictionary<string, int>(StringComparer.Ordinal) { ["acme/strong"] = int.MaxValue });
        var databasePath = Path.Combine(_directory, "nokey.db");

        var result = await QuickStartProcess.RunAsync(
            _directory,
            new Dictionary<string, string?> { [QuickStart.QuickStart.ApiKeyVariable] = null },
            databasePath, "--endpoint", server.BaseUrl, "--model", "acme/strong");

        var text = result.StandardOutput;
        result.ExitCode.Should().Be(1, "no model produced a scored answer: {0}{1}", text, result.StandardError);
        text.Should().Contain($"API key    none ({QuickStart.QuickStart.ApiKeyVariable} is not set)");
        server.Seen.Should().HaveCount(server.CaseCount, "a refused key is not retried").And.OnlyContain(s => s.Authorization != "Bearer " + apiKey);
        QuickStartStoreChecks.Lines(text).Should().Contain(l => l.StartsWith("Every call to acme/strong failed (60 of 60)", StringComparison.Ordinal) && l.Contains("401", StringComparison.Ordinal), text);
        text.Should().Contain("A/B test   skipped").And.Contain("Recommendation: none").And.Contain($"check the endpoint, the model names and {QuickStart.QuickStart.ApiKeyVariable}");
    }

    [Fact]
    public async Task Main_WithHelp_PrintsTheUsage_AndWithBadArguments_ExitsWithTwoAndSaysWhy()
    {
        var help = await QuickStartProcess.RunAsync(_directory, new Dictionary<string, string?>(), "--help");
        var missingEndpoint = await QuickStartProcess.RunAsync(_directory, new Dictionary<string, string?>(), "--model", "gpt-4o-mini");
        var keyOnCommandLine = await QuickStartProcess.RunAsync(_directory, new Dictionary<string, string?>(), "--endpoint", "http://127.0.0.1:9/v1", "--model", "m", "--api-key", "sk-should-not-be-here");

        help.ExitCode.Should().Be(0);
        help.StandardOutput.Should().Contain("Usage:").And.Contain("--endpoint URL").And.Contain("--model NAME").And.Contain(QuickStart.QuickStart.ApiKeyVariable);
        missingEndpoint.ExitCode.Should().Be(2);
        missingEndpoint.StandardError.Should().Contain("--model needs --endpoint URL").And.Contain("--help");
        keyOnCommandLine.ExitCode.Should().Be(2);
        keyOnCommandLine.StandardError.Should().Contain("--api-key is not accepted").And.Contain(QuickStart.QuickStart.ApiKeyVariable).And.NotContain("sk-should-not-be-here");
        Directory.GetFiles(_directory).Should().BeEmpty("invalid arguments create no database");
    }

    public ValueTask DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temporary directory left behind is harmless.
        }

        return ValueTask.CompletedTask;
    }
}
