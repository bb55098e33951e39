using EvalKit.Selection;
using EvalKit.Statistics;

namespace EvalKit.Tests.Selection;

public sealed class SelectionRequestTests
{
    [Fact]
    public void Equals_ComparesListsAsSetsAndEveryField()
    {
        var a = new SelectionRequest { RequiredCapabilities = ["json", "chat", "json"], CandidateModelIds = ["b", "a"], MaxP95Latency = TimeSpan.FromSeconds(2), Weights = new(1, 1, 0, 0) };
        var b = new SelectionRequest { RequiredCapabilities = ["chat", "json"], CandidateModelIds = ["a", "b"], MaxP95Latency = TimeSpan.FromSeconds(2), Weights = new(1, 1, 0, 0) };

        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
        a.RequiredCapabilities.Should().Equal("chat", "json");
        (a with { MaxP95Latency = TimeSpan.FromSeconds(3) }).Should().NotBe(b);
        (a with { CandidateModelIds = null }).Should().NotBe(b);
        (a with { CandidateModelIds = [] }).Should().NotBe(a with { CandidateModelIds = null });
        (a with { TaskClass = "hard" }).Should().NotBe(b);
        (a with { Weights = new(1, 2, 0, 0) }).Should().NotBe(b);
        (a with { QualityRange = new Interval(0, 100) }).Should().NotBe(b);
    }

    [Theory]
    [InlineData("Weights.Cost")]
    [InlineData("Weights")]
    [InlineData("MinSuccessRate")]
    [InlineData("MaxCostPer1kRequests")]
    [InlineData("MaxP95Latency")]
    [InlineData("RuntimeWindow")]
    [InlineData("TopK")]
    [InlineData("QualityRange")]
    [InlineData("RequiredCapabilities")]
    [InlineData("TypicalInputTokens")]
    public void Validate_NamesTheBadField(string field)
    {
        var request = field switch
        {
            "Weights.Cost" => new SelectionRequest { Weights = new(1, -0.5, 0, 0) },
            "Weights" => new SelectionRequest { Weights = new(0, 0, 0, 0) },
            "MinSuccessRate" => new SelectionRequest { MinSuccessRate = 1.5 },
            "MaxCostPer1kRequests" => new SelectionRequest { MaxCostPer1kRequests = -1 },
            "MaxP95Latency" => new SelectionRequest { MaxP95Latency = TimeSpan.Zero },
            "RuntimeWindow" => new SelectionRequest { RuntimeWindow = TimeSpan.FromMinutes(-1) },
            "TopK" => new SelectionRequest { TopK = 0 },
            "QualityRange" => new SelectionRequest { QualityRange = new Interval(1, 1) },
            "RequiredCapabilities" => new SelectionRequest { RequiredCapabilities = ["chat", " "] },
            _ => new SelectionRequest { TypicalInputTokens = -5 },
        };

        var act = request.Validate;

        act.Should().Throw<ArgumentException>().Where(e => e.ParamName == "request." + field && e.Message.Contains("SelectionRequest." + field, StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_AcceptsTheDefaults() => new SelectionRequest().Validate();

    [Fact]
    public async Task SelectAsync_InvalidRequest_ThrowsBeforeReadingEvidence()
    {
        var kit = new SelectionFixture();
        await kit.AddAsync("m/a");
        var reads = kit.Evidence.Reads;

        var act = async () => await kit.Engine.SelectAsync(new SelectionRequest { Weights = new(double.NaN, 1, 1, 1) });

        (await act.Should().ThrowAsync<ArgumentException>()).Which.ParamName.Should().Be("request.Weights.Quality");
        kit.Evidence.Reads.Should().Be(reads);
    }
}
