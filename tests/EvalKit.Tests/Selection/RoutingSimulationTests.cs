using System.Globalization;
using EvalKit.Registry;
using EvalKit.Selection;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Selection;

/// <summary>
/// Routes 10,000 simulated requests among three fake models (large: best and dearest; medium; small: cheapest, weak on hard
/// requests, 1% transient failures) and compares the router with always-the-best and always-the-cheapest on the same
/// requests: RouteLLM's performance gap recovered (PGR) and the cost at the router's quality.
/// </summary>
/// <remarks>
/// Each request is easy (60%) or hard (40%); the router is told a task class that matches the truth 90% of the time (a noisy
/// upstream classifier). Whether a model answers a request correctly is a seeded, deterministic function of (request, model),
/// so every policy is judged on the same outcomes. Latency is simulated by the manual clock; nothing sleeps.
/// </remarks>
public sealed class RoutingSimulationTests(ITestOutputHelper output)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const int Requests = 10_000;
    private static readonly DateTimeOffset Start = new(2025, 6, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly SimModel[] Models =
    [
        new("sim/large", Index: 0, EasyAccuracy: 0.95, HardAccuracy: 0.88, LatencyMs: 2000, FailureRate: 0, new ModelPricing { InputPerMillionTokens = 10m, OutputPerMillionTokens = 30m }),
        new("sim/medium", Index: 1, EasyAccuracy: 0.93, HardAccuracy: 0.70, LatencyMs: 800, FailureRate: 0, new ModelPricing { InputPerMillionTokens = 2m, OutputPerMillionTokens = 6m }),
        new("sim/small", Index: 2, EasyAccuracy: 0.90, HardAccuracy: 0.35, LatencyMs: 300, FailureRate: 0.01, new ModelPricing { InputPerMillionTokens = 0.15m, OutputPerMillionTokens = 0.60m }),
    ];

    [Fact]
    public async Task Router_RecoversMostOfTheQualityGap_AtFarLessThanTheBestModelsCost()
    {
        var workload = Workload.Create(seed: 2024);
        var kit = new RoutingFixture(new SelectionOptions
        {
            Online = new OnlineLearningOptions { Seed = 42, MinExplorationShare = 0.01, DiscountFactor = 0.999, PriorStrength = 5 },
            DecisionTimeToLive = TimeSpan.FromMinutes(5),
        });
        foreach (var model in Models)
        {
            await kit.Registry.RegisterAsync(new ModelDescriptor { Id = model.Id, Capabilities = new HashSet<string> { "chat" }, Pricing = model.Pricing }, cancellationToken: Ct);
            kit.Clients.Add(model.Id, new SimulatedModel(model, workload, kit.Clock));

            // The offline evaluation: overall accuracy on a benchmark with the workload's mix (the prior of the online learner).
            await StoredEvidence.AddCompletedRunAsync(kit.Storage, "eval-" + model.Id, model.Id, Start.AddDays(-1), mean: model.ExpectedAccuracy(0.4), n: 1_000, p95: TimeSpan.FromMilliseconds(model.LatencyMs * 1.2));
        }

        kit.Evidence.Invalidate();
        var request = new SelectionRequest { BenchmarkId = "bench", Mode = SelectionMode.Online, Weights = new(0.7, 0.3, 0, 0), RuntimeWindow = TimeSpan.FromHours(1) };
        using var router = kit.Router(request, new SelectingChatClientOptions { QualityFeedback = r => (double)r.AdditionalProperties!["sim.correct"]! });

        var routed = new Tally();
        for (var i = 0; i < Requests; i++)
        {
            var options = new ChatOptions { AdditionalProperties = new() { [SelectionPropertyNames.TaskClass] = workload.Labels[i] ? "hard" : "easy" } };
            var response = await router.GetResponseAsync([new ChatMessage(ChatRole.User, Workload.Prompt(i))], options, cancellationToken: Ct);
            var model = Models.Single(m => m.Id == response.ModelId);
            routed.Add(model, (double)response.AdditionalProperties!["sim.correct"]!, workload.Cost(model, i));
            routed.AddFailedAttempts((int)response.AdditionalProperties[SelectionPropertyNames.Attempts]! - 1);

            // Metric points are written in the background; waiting for them keeps the evidence, and so the run, deterministic.
            await router.FlushMetricsAsync(cancellationToken: Ct);
        }

        var best = Baseline(Models[0], workload);
        var cheapest = Baseline(Models[2], workload);
        var medium = Baseline(Models[1], workload);
        var byLabel = LabelPolicy(workload);
        var uniform = UniformPolicy(workload, seed: 99);

        var pgr = (routed.Quality - cheapest.Quality) / (best.Quality - cheapest.Quality);
        var costRatio = routed.Cost / best.Cost;

        // The cheapest non-contextual policy reaching the router's quality: a random mix of two neighbours on the lower convex
        // hull of (cost, quality) of the three models (RouterBench's argument: mixtures are achievable by randomisation).
        var hull = new[] { cheapest, medium, best };
        var mixCost = HullCost(hull, routed.Quality);
        var bestCallShare = routed.Share(Models[0]);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"always-best:     quality {best.Quality:0.0000}  cost {best.Cost:0.000}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"always-medium:   quality {medium.Quality:0.0000}  cost {medium.Cost:0.000}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"always-cheapest: quality {cheapest.Quality:0.0000}  cost {cheapest.Cost:0.000}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"label policy:    quality {byLabel.Quality:0.0000}  cost {byLabel.Cost:0.000}  (easy label -> small, hard label -> large, known in advance)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"router:          quality {routed.Quality:0.0000}  cost {routed.Cost:0.000}  calls large/medium/small {routed.Share(Models[0]):P1}/{routed.Share(Models[1]):P1}/{routed.Share(Models[2]):P1}  fallbacks {routed.FailedAttempts}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PGR {pgr:0.000}; quality {routed.Quality / best.Quality:P1} of the best's at {costRatio:P1} of its cost ({routed.Cost / cheapest.Cost:0.0}x the cheapest's); best-model calls {bestCallShare:P1}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"uniform random:  quality {uniform.Quality:0.0000}  cost {uniform.Cost:0.000}  ({uniform.Cost / HullCost(hull, uniform.Quality):0.00}x the hull at its quality)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cost at the router's quality: router {routed.Cost:0.000} vs best non-contextual mix {mixCost:0.000} (saves {1 - (routed.Cost / mixCost):P1})"));

        // The hull bound can fail: a blind policy sits on or above the hull.
        uniform.Cost.Should().BeGreaterThan(0.95 * HullCost(hull, uniform.Quality));
        best.Cost.Should().BeGreaterThan(0.95 * HullCost(hull, best.Quality));

        pgr.Should().BeGreaterThanOrEqualTo(0.7, "the router should recover most of the gap between the cheapest and the best model");
        costRatio.Should().BeLessThanOrEqualTo(0.6, "at well under the best model's cost");
        routed.Cost.Should().BeLessThanOrEqualTo(0.95 * mixCost, "no blind mix of the models (the hull of their cost and quality) reaches the router's quality as cheaply");
        routed.Quality.Should().BeGreaterThan(byLabel.Quality - 0.02, "the learner should find the policy the labels allow, paying only for exploration");
        routed.Cost.Should().BeLessThan(1.1 * byLabel.Cost);
        routed.FailedAttempts.Should().BePositive("the small model fails 1% of its calls and the router falls back");
        routed.Answered.Should().Be(Requests);
        (await kit.PointsAsync("sim/small", "requests")).Should().HaveCount(routed.Calls(Models[2]) + routed.FailedAttempts, "every call, failed or not, is recorded");
    }

    private static double HullCost((double Quality, double Cost)[] points, double quality)
    {
        // points ordered by cost; each consecutive pair bounds a segment of the lower hull (the medium model lies below the
        // chord from cheapest to best here; otherwise the chord is the hull and the min below picks it).
        var best = double.PositiveInfinity;
        for (var i = 0; i < points.Length; i++)
        {
            for (var j = i + 1; j < points.Length; j++)
            {
                var (low, high) = points[i].Quality <= points[j].Quality ? (points[i], points[j]) : (points[j], points[i]);
                if (quality >= low.Quality && quality <= high.Quality && high.Quality > low.Quality)
                {
                    var t = (quality - low.Quality) / (high.Quality - low.Quality);
                    best = Math.Min(best, low.Cost + (t * (high.Cost - low.Cost)));
                }
            }
        }

        return best;
    }

    /// <summary>The policy the router has to discover: easy label to the small model (the large one when it fails), hard label to the large one.</summary>
    private static (double Quality, double Cost) LabelPolicy(Workload workload)
    {
        double correct = 0, cost = 0;
        for (var i = 0; i < Requests; i++)
        {
            var model = workload.Labels[i] || Models[2].Fails(i) ? Models[0] : Models[2];
            correct += model.Correct(i, workload.Hard[i]) ? 1 : 0;
            cost += workload.Cost(model, i);
        }

        return (correct / Requests, cost);
    }

    /// <summary>A blind router: each request to a model drawn uniformly (seeded), no fallback.</summary>
    private static (double Quality, double Cost) UniformPolicy(Workload workload, int seed)
    {
        var random = new Random(seed);
        double correct = 0, cost = 0;
        for (var i = 0; i < Requests; i++)
        {
            var model = Models[random.Next(Models.Length)];
            if (!model.Fails(i))
            {
                correct += model.Correct(i, workload.Hard[i]) ? 1 : 0;
                cost += workload.Cost(model, i);
            }
        }

        return (correct / Requests, cost);
    }

    private static (double Quality, double Cost) Baseline(SimModel model, Workload workload)
    {
        double correct = 0, cost = 0;
        for (var i = 0; i < Requests; i++)
        {
            if (model.Fails(i))
            {
                continue; // no answer: quality 0, no tokens billed
            }

            correct += model.Correct(i, workload.Hard[i]) ? 1 : 0;
            cost += workload.Cost(model, i);
        }

        return (correct / Requests, cost);
    }

    /// <summary>A simulated model's profile; its behaviour on request i is a deterministic function of (i, model).</summary>
    private sealed record SimModel(string Id, int Index, double EasyAccuracy, double HardAccuracy, double LatencyMs, double FailureRate, ModelPricing Pricing)
    {
        public double ExpectedAccuracy(double hardShare) => ((1 - hardShare) * EasyAccuracy) + (hardShare * HardAccuracy);

        public bool Correct(int request, bool hard) => Uniform(request, Index, 1) < (hard ? HardAccuracy : EasyAccuracy);

        public bool Fails(int request) => Uniform(request, Index, 2) < FailureRate;

        public TimeSpan Latency(int request) => TimeSpan.FromMilliseconds(LatencyMs * (0.8 + (0.4 * Uniform(request, Index, 3))));

        /// <summary>SplitMix64 of (request, model, stream): a reproducible uniform in [0, 1).</summary>
        private static double Uniform(int request, int model, int stream)
        {
            var z = unchecked(((ulong)request * 0x9E3779B97F4A7C15UL) + ((ulong)model << 40) + ((ulong)stream << 56) + 0x632BE59BD9B4E019UL);
            z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
            z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
            z ^= z >> 31;
            return (z >> 11) * (1.0 / (1UL << 53));
        }
    }

    /// <summary>The requests: difficulty, the noisy label the router sees, and token counts.</summary>
    private sealed class Workload
    {
        public bool[] Hard { get; private init; } = [];

        public bool[] Labels { get; private init; } = [];

        public int[] InputTokens { get; private init; } = [];

        public int[] OutputTokens { get; private init; } = [];

        public static Workload Create(int seed)
        {
            var random = new Random(seed);
            var hard = new bool[Requests];
            var labels = new bool[Requests];
            var input = new int[Requests];
            var output = new int[Requests];
            for (var i = 0; i < Requests; i++)
            {
                hard[i] = random.NextDouble() < 0.4;
                labels[i] = random.NextDouble() < 0.9 ? hard[i] : !hard[i];
                input[i] = random.Next(400, 601);
                output[i] = random.Next(200, 401);
            }

            return new Workload { Hard = hard, Labels = labels, InputTokens = input, OutputTokens = output };
        }

        public static string Prompt(int i) => string.Create(CultureInfo.InvariantCulture, $"request {i}");

        public static int IndexOf(IEnumerable<ChatMessage> messages) =>
            int.Parse(messages.Last().Text.AsSpan("request ".Length), CultureInfo.InvariantCulture);

        public double Cost(SimModel model, int i) => (double)model.Pricing.Cost(InputTokens[i], OutputTokens[i])!.Value;
    }

    /// <summary>The fake model client: latency through the manual clock, usage, correctness in <c>sim.correct</c>.</summary>
    private sealed class SimulatedModel(SimModel model, Workload workload, ManualClock clock) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var i = Workload.IndexOf(messages);
            clock.Advance(model.Latency(i));
            if (model.Fails(i))
            {
                return Task.FromException<ChatResponse>(new HttpRequestException("overloaded", null, System.Net.HttpStatusCode.ServiceUnavailable));
            }

            var correct = model.Correct(i, workload.Hard[i]);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, correct ? "right" : "wrong"))
            {
                Usage = new UsageDetails { InputTokenCount = workload.InputTokens[i], OutputTokenCount = workload.OutputTokens[i] },
                AdditionalProperties = new() { ["sim.correct"] = correct ? 1.0 : 0.0 },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }

    private sealed class Tally
    {
        private readonly int[] _calls = new int[Models.Length];
        private double _correct;

        public double Cost { get; private set; }

        public int Answered { get; private set; }

        public int FailedAttempts { get; private set; }

        public double Quality => _correct / Requests;

        public void Add(SimModel model, double correct, double cost)
        {
            _calls[model.Index]++;
            _correct += correct;
            Cost += cost;
            Answered++;
        }

        public void AddFailedAttempts(int count) => FailedAttempts += count;

        public int Calls(SimModel model) => _calls[model.Index];

        public double Share(SimModel model) => (double)_calls[model.Index] / Answered;
    }
}
