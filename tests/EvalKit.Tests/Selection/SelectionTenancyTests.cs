using EvalKit.Metrics;
using EvalKit.Security;
using EvalKit.Selection;
using Microsoft.Extensions.AI;

namespace EvalKit.Tests.Selection;

/// <summary>Cached decisions and online learning are per tenant: one tenant's decision is never served to another.</summary>
public sealed class SelectionTenancyTests
{
    private const string A = "acme";
    private const string B = "globex";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ACachedDecision_IsServedOnlyToTheTenantItWasMadeFor()
    {
        var kit = new SelectionFixture();
        var request = new SelectionRequest { RequiredCapabilities = ["chat"] };
        using (EvalKitTenant.Use(A))
        {
            await kit.AddAsync("m/a");
            (await kit.Engine.SelectAsync(request, Ct)).ModelId.Should().Be("m/a");
            (await kit.Engine.SelectAsync(request with { }, Ct)).ModelId.Should().Be("m/a", "an equal request hits A's cached decision");
        }

        using (EvalKitTenant.Use(B))
        {
            await FluentActions.Awaiting(async () => await kit.Engine.SelectAsync(request, Ct))
                .Should().ThrowAsync<NoEligibleModelException>("B has no models, whatever A's cache holds");
            await kit.AddAsync("m/b");
            (await kit.Engine.RankAsync(request, 5, Ct)).Select(r => r.ModelId).Should().Equal("m/b");
        }

        using (EvalKitTenant.Use(A))
        {
            (await kit.Engine.RankAsync(request, 5, Ct)).Select(r => r.ModelId).Should().Equal("m/a");
        }
    }

    [Fact]
    public async Task RuntimeMetricPoints_AreWrittenAsTheTenantOfTheRequest_NotOfTheBackgroundWriter()
    {
        var kit = new RoutingFixture();
        using var router = kit.Router(new SelectionRequest { BenchmarkId = "bench", Weights = new(1, 0, 0, 0) }); // its writer starts outside any tenant
        using (EvalKitTenant.Use(A))
        {
            await kit.AddModelAsync("m/a", 0.9, SimChatClient.Answering("a", kit.Clock, TimeSpan.FromMilliseconds(300)));
            (await router.GetResponseAsync([new ChatMessage(ChatRole.User, "hello")], cancellationToken: Ct)).ModelId.Should().Be("m/a");
        }

        await router.FlushMetricsAsync(Ct);

        using (EvalKitTenant.Use(A))
        {
            (await kit.PointsAsync("m/a", MetricNames.LatencyMs)).Should().ContainSingle().Which.Value.Should().Be(300);
        }

        (await kit.PointsAsync("m/a")).Should().BeEmpty("the default tenant made no request");
    }

    [Fact]
    public void OnlineOutcomes_OfOneTenant_DoNotMoveAnothersPosterior()
    {
        var kit = new SelectionFixture();
        using (EvalKitTenant.Use(A))
        {
            kit.Engine.RecordOutcome(new SelectionOutcome { ModelId = "m/shared", Success = true, Quality = 1 });
        }

        using (EvalKitTenant.Use(B))
        {
            kit.Engine.RecordOutcome(new SelectionOutcome { ModelId = "m/shared", Success = false });
            kit.Engine.RecordOutcome(new SelectionOutcome { ModelId = "m/shared", Success = false });
            var (weight, mean) = kit.Engine.OnlinePosterior(null, "m/shared");
            mean.Should().Be(0, "B saw two failures and nothing else");
            weight.Should().BeGreaterThan(1.5).And.BeLessThanOrEqualTo(2, "two outcomes, the older one discounted");
        }

        using (EvalKitTenant.Use(A))
        {
            kit.Engine.OnlinePosterior(null, "m/shared").Should().Be((1.0, 1.0));
        }

        kit.Engine.OnlinePosterior(null, "m/shared").Weight.Should().Be(0, "the default tenant recorded nothing");
    }
}
