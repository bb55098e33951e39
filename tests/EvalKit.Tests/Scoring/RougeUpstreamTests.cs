using System.Text.Json;
using EvalKit.Scoring;
using FluentAssertions;
using Xunit;

namespace EvalKit.Tests.Scoring;

/// <summary>Every rouge-score case of upstream_cases.json, to its tolerance and to 1e-9 of the local reference run.</summary>
public sealed class RougeUpstreamTests
{
    private const double LocalTolerance = 1e-9;

    public static TheoryData<int, string> Cases => UpstreamCases.Indexes("rouge");

    public static TheoryData<int, string> InternalCases => UpstreamCases.Indexes("rouge_internal");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rouge_UpstreamCase_MatchesRougeScore(int index, string label)
    {
        var testCase = UpstreamCases.For("rouge")[index];
        var inputs = testCase.GetProperty("inputs");
        var target = inputs.GetProperty("target").GetString()!;
        var prediction = inputs.GetProperty("prediction").GetString()!;
        var useStemmer = inputs.GetProperty("use_stemmer").GetBoolean();
        var places = testCase.GetProperty("tolerance").GetProperty("assertAlmostEqual_places").GetInt32();

        // unittest's assertAlmostEqual(a, b, places): round(a - b, places) == 0.
        var tolerance = 0.5 * Math.Pow(10, -places);
        foreach (var typeName in inputs.GetProperty("rouge_types").EnumerateArray().Select(e => e.GetString()!))
        {
            var score = Rouge.Score(target, prediction, Rouge.ParseType(typeName), useStemmer);
            var expected = testCase.GetProperty("expected").GetProperty(typeName);
            foreach (var field in expected.EnumerateObject())
            {
                Field(score, field.Name).Should().BeApproximately(field.Value.GetDouble(), tolerance, $"{label} {typeName}.{field.Name}");
            }

            var local = testCase.GetProperty("local").GetProperty(typeName);
            foreach (var field in local.EnumerateObject())
            {
                Field(score, field.Name).Should().BeApproximately(field.Value.GetDouble(), LocalTolerance, $"{label} {typeName}.{field.Name} (local reference run)");
            }
        }
    }

    [Theory]
    [MemberData(nameof(InternalCases))]
    public void RougeHelpers_UpstreamCase_MatchRougeScoreFunctions(int index, string label)
    {
        var testCase = UpstreamCases.For("rouge_internal")[index];
        var inputs = testCase.GetProperty("inputs");
        var expected = testCase.GetProperty("expected");
        var workspace = TextWorkspace.Current;
        switch (testCase.GetProperty("source").GetProperty("test").GetString())
        {
            case "testLcsTable":
            {
                var reference = Ints(inputs.GetProperty("ref"));
                foreach (var (name, suffix) in new[] { ("c1", "_c1"), ("c2", "_c2") })
                {
                    var candidate = Ints(inputs.GetProperty(name));
                    Rouge.LcsLength(reference, candidate, workspace).Should().Be(expected.GetProperty("lcs_len" + suffix).GetInt32(), label);
                    var marks = new bool[reference.Length];
                    Rouge.MarkLcs(reference, candidate, marks, workspace);
                    Enumerable.Range(0, reference.Length).Where(i => marks[i]).Should()
                        .Equal(Ints(expected.GetProperty("backtrack_indices" + suffix)), label);
                }

                break;
            }

            case "testUnionLcs":
            {
                // _find_union of the two LCS index lists is the set of positions marked by both LCS read-outs;
                // _union_lcs returns the reference tokens at those positions.
                var reference = Ints(inputs.GetProperty("ref"));
                var marks = new bool[reference.Length];
                foreach (var candidate in inputs.GetProperty("candidates").EnumerateArray())
                {
                    Rouge.MarkLcs(reference, Ints(candidate), marks, workspace);
                }

                var union = Enumerable.Range(0, reference.Length).Where(i => marks[i]).ToArray();
                union.Should().Equal(Ints(expected.GetProperty("find_union_12")), label);
                union.Should().Equal(Ints(expected.GetProperty("find_union_21")), label);
                union.Select(i => reference[i]).Should().Equal(Ints(expected.GetProperty("union_lcs")), label);
                break;
            }

            case "testSummaryLevelLcs":
            {
                var score = SummaryLevel(
                    inputs.GetProperty("ref_sentences").EnumerateArray().Select(Ints).ToArray(),
                    inputs.GetProperty("candidate_sentences").EnumerateArray().Select(Ints).ToArray(),
                    workspace);
                score.Recall.Should().Be(expected.GetProperty("recall").GetDouble(), label);
                score.Precision.Should().Be(expected.GetProperty("precision").GetDouble(), label);
                score.FMeasure.Should().BeApproximately(expected.GetProperty("fmeasure").GetDouble(), 0.0005, label);

                // Second call: [["reference"]] against [[]]; tokens are strings upstream, any ids do.
                var empty = SummaryLevel([[1]], [[]], workspace);
                empty.Recall.Should().Be(expected.GetProperty("empty_candidate_recall").GetDouble(), label);
                break;
            }

            default:
                Assert.Fail($"Unhandled upstream ROUGE helper case {label}");
                break;
        }
    }

    private static RougeScore SummaryLevel(int[][] references, int[][] candidates, TextWorkspace workspace)
    {
        var referenceTokens = references.SelectMany(s => s).ToArray();
        var candidateTokens = candidates.SelectMany(s => s).ToArray();
        var vocabulary = referenceTokens.Concat(candidateTokens).DefaultIfEmpty(0).Max() + 1;
        return Rouge.SummaryLevelLcs(
            referenceTokens,
            references.Select(s => s.Length).ToArray(),
            candidateTokens,
            candidates.Select(s => s.Length).ToArray(),
            vocabulary,
            workspace);
    }

    private static double Field(RougeScore score, string name) => name switch
    {
        "precision" => score.Precision,
        "recall" => score.Recall,
        "fmeasure" => score.FMeasure,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Unknown score field."),
    };

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();
}
