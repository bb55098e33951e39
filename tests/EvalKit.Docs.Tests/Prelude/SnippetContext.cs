// The prelude of the docs' code blocks (see docs/README.md, "Code blocks"). Not part of the test assembly: it is
// compiled together with every snippet. A snippet's statements run inside an async method of a class that derives from
// SnippetContext, so they can use these names without declaring them; a snippet may also declare its own local of the
// same name, which hides the field.
#nullable enable
using EvalKit;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Selection;
using EvalKit.Storage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace DocSnippets;

public abstract class SnippetContext
{
    // Hosting: a service collection being configured, the provider built from it, or EvalKit without DI.
    protected IServiceCollection services = new ServiceCollection();
    protected IServiceProvider provider = null!;
    protected EvalKitHost kit = null!;
    protected IEvalKitStorage storage = null!;

    // The services, as resolved from the provider (or taken from kit).
    protected IModelRegistry registry = null!;
    protected IDatasetStore datasets = null!;
    protected IEvaluationEngine engine = null!;
    protected IMetricsService metrics = null!;
    protected IAbTestService abTests = null!;
    protected IExperimentService experiments = null!;
    protected ISelectionEngine selection = null!;
    protected IAuditLog auditLog = null!;

    // Models: one IChatClient that the host built (OpenAI, Ollama, Azure, a fake...), and a map of clients by model id.
    protected IChatClient client = null!;
    protected ModelClientMap clients = new();

    // Builds a model's client with the provider's package and the key from the host's secret store (the host's code).
    protected IChatClient CreateClient(string? modelId = null) => client;

    // Runs: a request, a run and run ids that earlier steps produced.
    protected EvaluationRequest request = null!;
    protected EvaluationRun run = null!;
    protected string runId = "", baselineRunId = "", candidateRunId = "", experimentId = "", abTestId = "";
    protected IProgress<EvaluationProgress>? progress;

    // The clock and the caller's cancellation.
    protected DateTimeOffset now;
    protected CancellationToken cancellationToken;
}
