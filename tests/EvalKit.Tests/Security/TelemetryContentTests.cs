using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage.Specification.Tests;
using EvalKit.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EvalKit.Tests.Security;

/// <summary>Prompts, references and answers stay out of activities, metrics and log messages unless the host opts in.</summary>
public sealed class TelemetryContentTests
{
    private const string ModelId = "local/telemetry";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Evaluate_ByDefault_NoActivityTagEventMetricOrLogMessageHoldsInputOutputOrReference()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var recorder = new TelemetryRecorder();

        await EvaluateAsync(recorder, marker, includeContent: false);

        // The run was observed: the listener saw the case activities and the engine's log messages.
        recorder.ActivityTexts.Should().Contain(t => t.Contains("evalkit.case.id=case-0", StringComparison.Ordinal));
        recorder.LogTexts.Should().Contain(t => t.Contains(" 1001 ", StringComparison.Ordinal), "the run-completed message is logged");
        recorder.MeasurementTexts.Should().Contain(t => t.Contains("evalkit.evaluation.cases", StringComparison.Ordinal));
        foreach (var secret in Content(marker))
        {
            recorder.AllTexts.Should().NotContain(t => t.Contains(secret, StringComparison.Ordinal), $"'{secret}' is case content");
        }

        recorder.ActivityTexts.Should().NotContain(t => t.Contains("gen_ai.input.messages", StringComparison.Ordinal));
        recorder.LogTexts.Should().NotContain(t => t.Contains($" {EvalKitTelemetryOptions.ContentEventId} ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Evaluate_WithIncludeContent_PutsInputsAndOutputsOnCaseActivitiesAndTraceLogs()
    {
        var marker = Guid.NewGuid().ToString("N");
        using var recorder = new TelemetryRecorder();

        await EvaluateAsync(recorder, marker, includeContent: true);

        for (var i = 0; i < 3; i++)
        {
            recorder.ActivityTexts.Should().Contain(t => t.StartsWith("tag evalkit.case gen_ai.input.messages=", StringComparison.Ordinal)
                && t.Contains($"Question {marker} {i}", StringComparison.Ordinal) && t.Contains("\"role\":\"user\"", StringComparison.Ordinal));
            recorder.ActivityTexts.Should().Contain(t => t.StartsWith("tag evalkit.case gen_ai.output.messages=", StringComparison.Ordinal)
                && t.Contains($"Answer {marker} to Question {marker} {i}", StringComparison.Ordinal));
            recorder.LogTexts.Should().Contain(t => t.Contains($"Trace {EvalKitTelemetryOptions.ContentEventId} ", StringComparison.Ordinal)
                && t.Contains($"Question {marker} {i}", StringComparison.Ordinal) && t.Contains($"Answer {marker} to", StringComparison.Ordinal));
        }

        // Metrics never carry content, whatever the option says: tags must stay low-cardinality.
        recorder.MeasurementTexts.Should().NotContain(t => t.Contains(marker, StringComparison.Ordinal));
    }

    private static string[] Content(string marker) => [$"Question {marker}", $"Answer {marker}", $"Reference {marker}", $"System {marker}"];

    private static async Task EvaluateAsync(TelemetryRecorder recorder, string marker, bool includeContent)
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(recorder).SetMinimumLevel(LogLevel.Trace));
        services.AddEvalKit(o => o.Telemetry.IncludeContent = includeContent);
        services.AddKeyedChatClient(ModelId, FakeChatClient.Answering(q => $"Answer {marker} to {q}"));
        await using var provider = services.BuildServiceProvider();
        var registry = provider.GetRequiredService<IModelRegistry>();
        await registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        var cases = Enumerable.Range(0, 3).Select(i => new EvalCase
        {
            Id = $"case-{i}",
            Input = CaseInput.FromMessages([new ChatTurn("system", $"System {marker}"), new ChatTurn("user", $"Question {marker} {i}")]),
            References = [$"Reference {marker} {i}"],
        });
        var dataset = await provider.GetRequiredService<IDatasetStore>().ImportAsync(new Dataset("telemetry", "1", cases), Ct);

        var run = await provider.GetRequiredService<IEvaluationEngine>().EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset.Id, ScorerNames = ["exact_match"] }, cancellationToken: Ct);

        run.Status.Should().Be(RunStatus.Completed);
    }
}
