using System.Globalization;
using EvalKit.Registry;
using EvalKit.Samples.AgentRouting;

namespace EvalKit.Samples.Tests;

/// <summary>
/// The routing sample (samples/EvalKit.Samples.AgentRouting), run in-process: the choices it prints follow the documented
/// selection rules, checked as relationships against the evidence table it prints, not against a stored transcript.
/// </summary>
public sealed class AgentRoutingSampleTests
{
    [Fact]
    public async Task RunAsync_RoutesEachRequestByItsRequirement_AndSaysWhy()
    {
        using var output = new StringWriter();

        var exitCode = await AgentRouting.AgentRouting.RunAsync(output, TestContext.Current.CancellationToken);

        var text = output.ToString();
        exitCode.Should().Be(0, text);
        var evidence = EvidenceRows(text);
        evidence.Keys.Should().BeEquivalentTo(AgentRouting.AgentRouting.Models.Select(m => m.Id), text);
        var blocks = Blocks(text);
        blocks.Keys.Should().Equal(AgentRouting.AgentRouting.CreateScenarios().Select(s => s.Name));

        // Every routed request went to the model the engine ranked first, and the reason names it.
        foreach (var (name, block) in blocks.Where(b => b.Value.RoutedTo is not null))
        {
            block.Why.Should().StartWith($"{block.RoutedTo} ranks #1 of ", name);
        }

        // Vision: an attached image makes the factory require "vision"; only one model has it, and the others are rejected for lacking it.
        var visionModel = evidence.Single(e => e.Value.Capabilities.Contains(ModelCapabilities.Vision)).Key;
        blocks["vision"].RoutedTo.Should().Be(visionModel);
        blocks["vision"].Rejected.Should().HaveCount(evidence.Count - 1).And.OnlyContain(r => r.Contains("(MissingCapability)", StringComparison.Ordinal));

        // Cheap: the cost cap (evalkit.selection.max_cost_per_1k_requests) leaves exactly the models whose measured cost is under it.
        var budget = (double)AgentRouting.AgentRouting.BudgetPer1kRequests;
        var affordable = evidence.Where(e => e.Value.CostPer1k <= budget).Select(e => e.Key).ToList();
        affordable.Should().ContainSingle(text);
        blocks["cheap"].RoutedTo.Should().Be(affordable[0]);
        blocks["cheap"].Rejected.Should().HaveCount(evidence.Count - 1)
            .And.OnlyContain(r => r.Contains("(Constraint): cost per 1k requests", StringComparison.Ordinal) && r.Contains("exceeds the maximum 0.25", StringComparison.Ordinal));

        // Best quality: with every weight on quality, the model with the best evaluated exact match wins.
        var best = evidence.MaxBy(e => e.Value.ExactMatch).Key;
        blocks["best-quality"].RoutedTo.Should().Be(best);
        blocks["best-quality"].Why.Should().Contain($"of {evidence.Count} eligible");

        // Tools: the added capability (evalkit.selection.capabilities) leaves the one tool-calling model.
        blocks["tools"].RoutedTo.Should().Be(evidence.Single(e => e.Value.Capabilities.Contains(ModelCapabilities.Tools)).Key);

        // Pinned: one candidate id (evalkit.selection.candidates) pins the model, even without an image.
        blocks["pinned"].RoutedTo.Should().Be(AgentRouting.AgentRouting.PinnedModelId);
        blocks["pinned"].Why.Should().Contain("ranks #1 of 1 eligible");

        // Balanced: nothing is excluded; the default weights trade quality against cost and latency, so neither the best
        // model nor the cheapest one wins.
        blocks["balanced"].Rejected.Should().BeEmpty();
        blocks["balanced"].Why.Should().Contain($"of {evidence.Count} eligible");
        blocks["balanced"].RoutedTo.Should().NotBe(best).And.NotBe(affordable[0]);

        // Vision on a budget: the vision model is too expensive and the others cannot see, so no model is eligible.
        blocks["vision-on-a-budget"].RoutedTo.Should().BeNull();
        blocks["vision-on-a-budget"].Rejected.Should().HaveCount(evidence.Count)
            .And.ContainSingle(r => r.StartsWith($"{visionModel} (Constraint): cost per 1k requests", StringComparison.Ordinal));

        // The choices differ per requirement: every model served at least one request.
        blocks.Values.Select(b => b.RoutedTo).OfType<string>().Distinct().Should().HaveCount(evidence.Count);
        text.Should().Contain("Routed 6 of 7 requests; 1 had no eligible model.");
    }

    [Fact]
    public async Task RunAsync_Twice_PrintsTheSameTranscript()
    {
        using var first = new StringWriter();
        using var second = new StringWriter();

        (await AgentRouting.AgentRouting.RunAsync(first, TestContext.Current.CancellationToken)).Should().Be(0, first.ToString());
        (await AgentRouting.AgentRouting.RunAsync(second, TestContext.Current.CancellationToken)).Should().Be(0, second.ToString());

        // Seeded questions, hashed mistakes, fixed run ids and latency on a simulated clock: nothing depends on the machine.
        second.ToString().Should().Be(first.ToString());
    }

    // The evidence table: model id, capabilities, exact-match mean and cost per 1,000 requests (the last column).
    private static Dictionary<string, (string[] Capabilities, double ExactMatch, double CostPer1k)> EvidenceRows(string text) =>
        Lines(text)
            .TakeWhile(l => !l.StartsWith('['))
            .Where(l => l.StartsWith("local/", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .ToDictionary(
                cells => cells[0],
                cells => (cells[1].Split(','), double.Parse(cells[4], CultureInfo.InvariantCulture), double.Parse(cells[^1], CultureInfo.InvariantCulture)));

    // The request blocks, by name: the model it was routed to (null when none was eligible), the "why" line and the rejections.
    private static Dictionary<string, Block> Blocks(string text)
    {
        var blocks = new Dictionary<string, Block>(StringComparer.Ordinal);
        Block? current = null;
        foreach (var line in Lines(text))
        {
            if (line.StartsWith('['))
            {
                current = new Block();
                blocks.Add(line[1..line.IndexOf(']', StringComparison.Ordinal)], current);
            }
            else if (current is not null && line.StartsWith("  routed to:  ", StringComparison.Ordinal))
            {
                var value = line["  routed to:  ".Length..];
                current.RoutedTo = value.StartsWith("no eligible model", StringComparison.Ordinal) ? null : value[..value.IndexOf(' ', StringComparison.Ordinal)];
            }
            else if (current is not null && line.StartsWith("  why:        ", StringComparison.Ordinal))
            {
                current.Why = line["  why:        ".Length..];
            }
            else if (current is not null && line.StartsWith("  rejected:   ", StringComparison.Ordinal))
            {
                current.Rejected.Add(line["  rejected:   ".Length..]);
            }
        }

        return blocks;
    }

    private static string[] Lines(string text) => text.ReplaceLineEndings("\n").Split('\n');

    private sealed class Block
    {
        public string? RoutedTo { get; set; }

        public string Why { get; set; } = string.Empty;

        public List<string> Rejected { get; } = [];
    }
}
