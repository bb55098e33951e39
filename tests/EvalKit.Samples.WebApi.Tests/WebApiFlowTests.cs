using System.Globalization;

namespace EvalKit.Samples.WebApi.Tests;

/// <summary>The whole flow over HTTP: models, a benchmark, an evaluation, an A/B test, an experiment and selection.</summary>
[Collection(nameof(WebApiCollection))]
public sealed class WebApiFlowTests(WebApiHost host)
{
    private const string Api = "/api/v1/evaluation";
    private const string Key = WebApiHost.AcmeKey;
    private const string BenchmarkId = "flow-arithmetic";
    private const int CaseCount = 30;

    [Fact]
    public async Task FullFlow_RegisterEvaluateCompareExperimentSelect_WorksEndToEnd()
    {
        // Models: the oracle, and a weak model that is wrong on 60% of the prompts (both offline fakes).
        foreach (var (id, input, output) in new[] { (WebApiHost.Oracle, 5m, 15m), (WebApiHost.Weak, 0.1m, 0.4m) })
        {
            var registered = await host.SendAsync(HttpMethod.Post, $"{Api}/models", Key, new
            {
                id,
                provider = "local",
                capabilities = new[] { "chat" },
                pricing = new { input_per_million_tokens = input, output_per_million_tokens = output },
            });
            registered.Status.Should().Be(201, registered.Text);
            registered.Headers["Location"].Should().Be($"{Api}/models/{Uri.EscapeDataString(id)}");
            registered.Data.GetProperty("revision").GetInt32().Should().Be(1);
        }

        // A benchmark whose dataset is imported from the body.
        var cases = Enumerable.Range(1, CaseCount).Select(i => new { id = $"q{i}", input = $"What is {i} + {i * 3}?", references = new[] { (i * 4).ToString(CultureInfo.InvariantCulture) } }).ToArray();
        var benchmark = await host.SendAsync(HttpMethod.Post, $"{Api}/benchmarks", Key, new
        {
            id = BenchmarkId,
            name = "Arithmetic",
            prompt_template = "Answer with a number. {{input}}",
            scorers = new[] { "exact_match" },
            dataset = new { name = "arithmetic", version = "1", cases },
        });
        benchmark.Status.Should().Be(201, benchmark.Text);
        benchmark.Data.GetProperty("dataset").GetProperty("case_count").GetInt64().Should().Be(CaseCount);
        benchmark.Data.GetProperty("dataset_id").GetString().Should().Be("arithmetic@1");

        // Start an evaluation: 202 with where to poll, then poll until it has completed.
        var started = await host.SendAsync(HttpMethod.Post, $"{Api}/evaluations", Key, new { model_id = WebApiHost.Oracle, benchmark_id = BenchmarkId });
        started.Status.Should().Be(202, started.Text);
        var runId = started.Data.GetProperty("run_id").GetString()!;
        started.Headers["Location"].Should().Be($"{Api}/evaluations/{runId}");
        started.Data.GetProperty("status").GetString().Should().BeOneOf("running", "completed");
        started.Data.GetProperty("total").GetInt64().Should().Be(CaseCount);

        var run = await host.PollAsync($"{Api}/evaluations/{runId}", Key, d => d.GetProperty("status").GetString() is not ("pending" or "running"));
        run.GetProperty("status").GetString().Should().Be("completed", run.ToString());
        run.GetProperty("done").GetInt64().Should().Be(CaseCount);
        run.GetProperty("failed").GetInt64().Should().Be(0);
        var exactMatch = run.GetProperty("summary").GetProperty("metrics").GetProperty("exact_match");
        exactMatch.GetProperty("mean").GetDouble().Should().Be(1.0);
        exactMatch.GetProperty("n").GetInt32().Should().Be(CaseCount);
        run.GetProperty("summary").GetProperty("total_cost").GetDecimal().Should().BePositive("the oracle has pricing and reports its token usage");

        // Its results, a page at a time: 30 results in pages of 7 are 5 pages, the last holding 2.
        var seen = new List<long>();
        for (var page = 1; page <= 5; page++)
        {
            var results = await host.SendAsync(HttpMethod.Get, $"{Api}/evaluations/{runId}/results?page={page}&page_size=7", Key);
            results.Status.Should().Be(200, results.Text);
            var pagination = results.Json.GetProperty("pagination");
            pagination.GetProperty("total").GetInt64().Should().Be(CaseCount);
            pagination.GetProperty("total_pages").GetInt64().Should().Be(5);
            pagination.GetProperty("page").GetInt32().Should().Be(page);
            var items = results.Data.EnumerateArray().ToList();
            items.Should().HaveCount(page < 5 ? 7 : 2);
            foreach (var item in items)
            {
                var ordinal = item.GetProperty("case_ordinal").GetInt64();
                seen.Add(ordinal);
                item.GetProperty("output").GetString().Should().Be(((ordinal + 1) * 4).ToString(CultureInfo.InvariantCulture));
                item.GetProperty("scores")[0].GetProperty("passed").GetBoolean().Should().BeTrue();
            }
        }

        seen.Should().Equal(Enumerable.Range(0, CaseCount).Select(i => (long)i), "the pages cover every result once, in case order");

        // An A/B test of the two models: executed in the background, then its statistics.
        var abTest = await host.SendAsync(HttpMethod.Post, $"{Api}/ab-tests", Key, new { name = "oracle vs weak", model_ids = new[] { WebApiHost.Oracle, WebApiHost.Weak }, benchmark_id = BenchmarkId });
        abTest.Status.Should().Be(201, abTest.Text);
        abTest.Data.GetProperty("status").GetString().Should().Be("created");
        abTest.Data.GetProperty("primary_metric").GetString().Should().Be("exact_match");
        var testId = abTest.Data.GetProperty("id").GetString()!;

        var early = await host.SendAsync(HttpMethod.Get, $"{Api}/ab-tests/{testId}/results", Key);
        early.Status.Should().Be(409, "a test that has not been executed has no results");

        var execute = await host.SendAsync(HttpMethod.Post, $"{Api}/ab-tests/{testId}/execute", Key);
        execute.Status.Should().Be(202, execute.Text);
        execute.Data.GetProperty("executing").GetBoolean().Should().BeTrue();
        var executed = await host.PollAsync($"{Api}/ab-tests/{testId}", Key, d => !d.GetProperty("executing").GetBoolean());
        executed.GetProperty("status").GetString().Should().Be("completed", executed.ToString());

        var abResults = await host.SendAsync(HttpMethod.Get, $"{Api}/ab-tests/{testId}/results", Key);
        abResults.Status.Should().Be(200, abResults.Text);
        var arms = abResults.Data.GetProperty("models").EnumerateArray().ToList();
        arms.Select(a => a.GetProperty("model_id").GetString()).Should().Equal(WebApiHost.Oracle, WebApiHost.Weak);
        arms[0].GetProperty("mean").GetDouble().Should().Be(1.0);
        var weakMean = arms[1].GetProperty("mean").GetDouble();
        weakMean.Should().BeLessThan(0.7, "the weak model is wrong on about 60% of the prompts");
        var pair = abResults.Data.GetProperty("pairs")[0];
        pair.GetProperty("test_name").GetString().Should().Be("McNemar exact");
        pair.GetProperty("only_a_passed").GetInt32().Should().Be((int)Math.Round((1 - weakMean) * CaseCount));
        pair.GetProperty("only_b_passed").GetInt32().Should().Be(0);
        pair.GetProperty("significant").GetBoolean().Should().BeTrue();
        abResults.Data.GetProperty("winner").GetString().Should().Be(WebApiHost.Oracle);

        // An experiment: both models × two temperatures; run in the background, then its runs.
        var experiment = await host.SendAsync(HttpMethod.Post, $"{Api}/experiments", Key, new
        {
            name = "temperature sweep",
            hypothesis = "temperature does not change arithmetic",
            benchmark_ids = new[] { BenchmarkId },
            model_ids = new[] { WebApiHost.Oracle, WebApiHost.Weak },
            options_variants = new object[] { new { name = "t=0", temperature = 0 }, new { name = "t=0.7", temperature = 0.7 } },
        });
        experiment.Status.Should().Be(201, experiment.Text);
        experiment.Data.GetProperty("variants").GetArrayLength().Should().Be(4);
        var experimentId = experiment.Data.GetProperty("id").GetString()!;

        var runExperiment = await host.SendAsync(HttpMethod.Post, $"{Api}/experiments/{experimentId}/run", Key);
        runExperiment.Status.Should().Be(202, runExperiment.Text);
        var finished = await host.PollAsync($"{Api}/experiments/{experimentId}", Key, d => !d.GetProperty("executing").GetBoolean());
        finished.GetProperty("status").GetString().Should().Be("completed", finished.ToString());

        var runs = await host.SendAsync(HttpMethod.Get, $"{Api}/experiments/{experimentId}/runs?page_size=3", Key);
        runs.Status.Should().Be(200, runs.Text);
        runs.Json.GetProperty("pagination").GetProperty("total").GetInt64().Should().Be(4);
        runs.Json.GetProperty("pagination").GetProperty("total_pages").GetInt64().Should().Be(2);
        var firstPage = runs.Data.EnumerateArray().ToList();
        firstPage.Should().HaveCount(3);
        firstPage.Select(r => r.GetProperty("variant_index").GetInt32()).Should().Equal(0, 1, 2);
        firstPage.Should().OnlyContain(r => r.GetProperty("status").GetString() == "completed");
        firstPage.Select(r => r.GetProperty("model_id").GetString()).Should().Equal(WebApiHost.Oracle, WebApiHost.Oracle, WebApiHost.Weak);

        // Selection: on quality alone the oracle wins; the explanation says why, criterion by criterion.
        var selection = new
        {
            candidate_model_ids = new[] { WebApiHost.Oracle, WebApiHost.Weak },
            benchmark_id = BenchmarkId,
            weights = new { quality = 1.0, cost = 0.0, latency = 0.0, reliability = 0.0 },
            top_k = 2,
        };
        var recommend = await host.SendAsync(HttpMethod.Post, $"{Api}/selection/recommend", Key, selection);
        recommend.Status.Should().Be(200, recommend.Text);
        recommend.Data.GetProperty("recommended").GetProperty("model_id").GetString().Should().Be(WebApiHost.Oracle);
        recommend.Data.GetProperty("ranked").EnumerateArray().Select(r => (r.GetProperty("model_id").GetString(), r.GetProperty("rank").GetInt32()))
            .Should().Equal((WebApiHost.Oracle, 1), (WebApiHost.Weak, 2));

        var explain = await host.SendAsync(HttpMethod.Post, $"{Api}/selection/explain", Key, selection);
        explain.Status.Should().Be(200, explain.Text);
        explain.Data.GetProperty("winner").GetString().Should().Be(WebApiHost.Oracle);
        explain.Data.GetProperty("margin").GetDouble().Should().BePositive();
        var quality = explain.Data.GetProperty("ranked")[0].GetProperty("criteria").EnumerateArray().Single(c => c.GetProperty("criterion").GetString() == "quality");
        quality.GetProperty("raw_value").GetDouble().Should().Be(1.0);
        quality.GetProperty("evidence").GetProperty("n").GetInt64().Should().Be(CaseCount);
        explain.Data.GetProperty("text").GetString().Should().Contain($"{WebApiHost.Oracle} wins");

        // A model that runs refer to cannot be deleted.
        var delete = await host.SendAsync(HttpMethod.Delete, $"{Api}/models/{Uri.EscapeDataString(WebApiHost.Oracle)}", Key);
        delete.Status.Should().Be(409, delete.Text);
        delete.Json.GetProperty("type").GetString().Should().EndWith(":model-in-use");
    }

    [Fact]
    public async Task Evaluation_OfAModelThatNeverAnswers_CanBeCancelled_AndThenReportsCancelled()
    {
        var model = await host.SendAsync(HttpMethod.Post, $"{Api}/models", Key, new { id = WebApiHost.Stalled, provider = "local" });
        model.Status.Should().Be(201, model.Text);
        var benchmark = await host.SendAsync(HttpMethod.Post, $"{Api}/benchmarks", Key, new
        {
            id = "cancel-me",
            dataset = new { name = "cancel-me", cases = new[] { new { id = "a", input = "Hello?", references = new[] { "Hi" } } } },
        });
        benchmark.Status.Should().Be(201, benchmark.Text);

        var started = await host.SendAsync(HttpMethod.Post, $"{Api}/evaluations", Key, new { model_id = WebApiHost.Stalled, benchmark_id = "cancel-me", options = new { max_retries = 0 } });
        started.Status.Should().Be(202, started.Text);
        started.Data.GetProperty("status").GetString().Should().Be("running", "the model never answers, so the run cannot end by itself");
        var runId = started.Data.GetProperty("run_id").GetString()!;

        var results = await host.SendAsync(HttpMethod.Get, $"{Api}/evaluations/{runId}/results", Key);
        results.Status.Should().Be(409, "a running run's results are listed once it ends");

        var cancel = await host.SendAsync(HttpMethod.Post, $"{Api}/evaluations/{runId}/cancel", Key);
        cancel.Status.Should().Be(200, cancel.Text);
        cancel.Data.GetProperty("cancelled").GetBoolean().Should().BeTrue();

        var run = await host.PollAsync($"{Api}/evaluations/{runId}", Key, d => d.GetProperty("status").GetString() != "running");
        run.GetProperty("status").GetString().Should().Be("cancelled");
        run.GetProperty("done").GetInt64().Should().Be(0);

        var again = await host.SendAsync(HttpMethod.Post, $"{Api}/evaluations/{runId}/cancel", Key);
        again.Status.Should().Be(409, "only a running run can be cancelled");
        var empty = await host.SendAsync(HttpMethod.Get, $"{Api}/evaluations/{runId}/results", Key);
        empty.Status.Should().Be(200, empty.Text);
        empty.Json.GetProperty("pagination").GetProperty("total").GetInt64().Should().Be(0);
        empty.Json.GetProperty("pagination").GetProperty("total_pages").GetInt64().Should().Be(0);
    }

    [Fact]
    public async Task Model_UpdateDeprecateDelete_ChangesRevisionsAndStatus()
    {
        var path = $"{Api}/models/{Uri.EscapeDataString("lifecycle/model-a:v1")}";
        (await host.SendAsync(HttpMethod.Post, $"{Api}/models", Key, new { id = "lifecycle/model-a:v1", display_name = "A" })).Status.Should().Be(201);
        (await host.SendAsync(HttpMethod.Post, $"{Api}/models", Key, new { id = "lifecycle/model-b" })).Status.Should().Be(201);

        var conflict = await host.SendAsync(HttpMethod.Post, $"{Api}/models", Key, new { id = "lifecycle/model-a:v1" });
        conflict.Status.Should().Be(409, "the id is registered already");

        var updated = await host.SendAsync(HttpMethod.Patch, path, Key, new { display_name = "Model A", context_window = 8192, change_description = "renamed" });
        updated.Status.Should().Be(200, updated.Text);
        updated.Data.GetProperty("revision").GetInt32().Should().Be(2);
        updated.Data.GetProperty("display_name").GetString().Should().Be("Model A");
        updated.Data.GetProperty("context_window").GetInt32().Should().Be(8192);

        var deprecated = await host.SendAsync(HttpMethod.Post, $"{path}/deprecate", Key, new { reason = "superseded", replacement_model_id = "lifecycle/model-b" });
        deprecated.Status.Should().Be(200, deprecated.Text);
        deprecated.Data.GetProperty("status").GetString().Should().Be("deprecated");
        deprecated.Data.GetProperty("status_reason").GetString().Should().Be("superseded");
        deprecated.Data.GetProperty("replacement_model_id").GetString().Should().Be("lifecycle/model-b");
        deprecated.Data.GetProperty("revision").GetInt32().Should().Be(3);

        var deleted = await host.SendAsync(HttpMethod.Delete, path, Key);
        deleted.Status.Should().Be(200, deleted.Text);
        deleted.Data.GetProperty("deleted").GetBoolean().Should().BeTrue();
        (await host.SendAsync(HttpMethod.Get, path, Key)).Status.Should().Be(404);
        (await host.SendAsync(HttpMethod.Delete, path, Key)).Status.Should().Be(404);
        (await host.SendAsync(HttpMethod.Patch, path, Key, new { display_name = "gone" })).Status.Should().Be(404);
    }

    [Fact]
    public async Task Benchmarks_ListAndGet_ShowTheSuiteWithItsDataset()
    {
        var created = await host.SendAsync(HttpMethod.Post, $"{Api}/benchmarks", Key, new
        {
            id = "listed-suite",
            name = "Listed",
            scorers = new[] { "exact_match", "contains" },
            primary_metric = "contains",
            default_options = new { max_concurrency = 2, timeout_seconds = 5 },
            dataset = new
            {
                name = "listed",
                version = "2",
                cases = new object[]
                {
                    new { id = "c1", input = "Say hi", references = new[] { "hi" }, metadata = new { topic = "greeting" } },
                    new { id = "c2", messages = new[] { new { role = "user", text = "Say bye" } }, references = new[] { "bye" } },
                },
            },
        });
        created.Status.Should().Be(201, created.Text);

        var fetched = await host.GetDataAsync($"{Api}/benchmarks/listed-suite", Key);
        fetched.GetProperty("primary_metric").GetString().Should().Be("contains");
        fetched.GetProperty("scorers").EnumerateArray().Select(s => s.GetString()).Should().Equal("exact_match", "contains");
        fetched.GetProperty("default_options").GetProperty("timeout_seconds").GetDouble().Should().Be(5);
        fetched.GetProperty("dataset").GetProperty("id").GetString().Should().Be("listed@2");
        fetched.GetProperty("dataset").GetProperty("case_count").GetInt64().Should().Be(2);

        var list = await host.SendAsync(HttpMethod.Get, $"{Api}/benchmarks?page_size=100", Key);
        list.Status.Should().Be(200, list.Text);
        list.Data.EnumerateArray().Select(b => b.GetProperty("id").GetString()).Should().Contain("listed-suite");

        (await host.SendAsync(HttpMethod.Post, $"{Api}/benchmarks", Key, new { id = "listed-suite", dataset_id = "listed@2" })).Status.Should().Be(409);
        (await host.SendAsync(HttpMethod.Get, $"{Api}/benchmarks/nope", Key)).Status.Should().Be(404);
    }
}
