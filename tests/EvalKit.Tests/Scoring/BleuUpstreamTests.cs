using System.Globalization;
using System.Text.Json;
using EvalKit.Scoring;
using FluentAssertions;
using Xunit;

namespace EvalKit.Tests.Scoring;

/// <summary>Every sacrebleu 2.6 BLEU case of upstream_cases.json, to its tolerance and to 1e-9 of the local reference run.</summary>
public sealed class BleuUpstreamTests
{
    private const double LocalTolerance = 1e-9;

    public static TheoryData<int, string> Cases => UpstreamCases.Indexes("bleu");

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bleu_UpstreamCase_MatchesSacrebleu(int index, string label)
    {
        var testCase = UpstreamCases.For("bleu")[index];
        var call = testCase.GetProperty("call").GetString()!;
        var inputs = testCase.GetProperty("inputs");
        var expected = testCase.GetProperty("expected");
        var local = testCase.GetProperty("local");

        if (call.StartsWith("r = sacrebleu.raw_corpus_bleu", StringComparison.Ordinal))
        {
            var score = RawCorpusBleu(inputs);
            score.Counts.Should().Equal(Ints(expected.GetProperty("counts")), label);
            score.Totals.Should().Equal(Ints(expected.GetProperty("totals")), label);
            return;
        }

        if (call.StartsWith("sacrebleu.raw_corpus_bleu", StringComparison.Ordinal))
        {
            var value = RawCorpusBleu(inputs).Score / 100;
            AssertClose(value, expected, testCase, local, label);
            return;
        }

        if (call.StartsWith("BLEU.compute_bleu", StringComparison.Ordinal))
        {
            var options = inputs.TryGetProperty("offset", out var offset)
                ? new BleuOptions { Smoothing = BleuSmoothing.Floor, SmoothingValue = offset.GetDouble() }
                : new BleuOptions { Smoothing = BleuSmoothing.None };
            var value = Bleu.FromStatistics(
                Ints(inputs.GetProperty("correct")),
                Ints(inputs.GetProperty("total")),
                inputs.GetProperty("sys_len").GetInt32(),
                inputs.GetProperty("ref_len").GetInt32(),
                options).Score / 100;
            AssertClose(value, expected, testCase, local, label);
            return;
        }

        if (call.StartsWith("f'{BLEU(max_ngram_order", StringComparison.Ordinal))
        {
            var score = Bleu.Corpus(
                Strings(inputs.GetProperty("hypotheses")),
                Streams(inputs.GetProperty("reference_streams")),
                new BleuOptions { MaxNgramOrder = inputs.GetProperty("max_ngram_order").GetInt32() }).Score;
            score.ToString("F2", CultureInfo.InvariantCulture).Should().Be(expected.GetString(), label);
            score.Should().BeApproximately(local.GetDouble(), LocalTolerance, label);
            return;
        }

        if (call.StartsWith("sacrebleu.corpus_bleu", StringComparison.Ordinal))
        {
            var kwargs = inputs.GetProperty("kwargs");
            var options = new BleuOptions
            {
                Tokenizer = kwargs.TryGetProperty("tokenize", out var tokenize) ? ParseTokenizer(tokenize.GetString()!) : BleuTokenizer.Mteval13a,
                Smoothing = kwargs.TryGetProperty("smooth_method", out var smooth) ? ParseSmoothing(smooth.GetString()!) : BleuSmoothing.Exponential,
            };
            var score = Bleu.Corpus(Strings(inputs.GetProperty("hypotheses")), Streams(inputs.GetProperty("reference_streams")), options).Score;
            AssertClose(score, expected, testCase, local, label);
            return;
        }

        if (call.Contains("sentence_bleu", StringComparison.Ordinal) || call.Contains("sentence_score", StringComparison.Ordinal))
        {
            var options = new BleuOptions
            {
                Tokenizer = ParseTokenizer(inputs.GetProperty("tokenize").GetString()!),
                Smoothing = ParseSmoothing(inputs.GetProperty("smooth_method").GetString()!),
                SmoothingValue = inputs.GetProperty("smooth_value").ValueKind == JsonValueKind.Null ? null : inputs.GetProperty("smooth_value").GetDouble(),
                Lowercase = inputs.GetProperty("lowercase").GetBoolean(),
                EffectiveOrder = true,
            };
            var score = Bleu.Sentence(inputs.GetProperty("hypothesis").GetString()!, Strings(inputs.GetProperty("references")), options).Score;
            AssertClose(score, expected, testCase, local, label);
            return;
        }

        Assert.Fail($"Unhandled upstream BLEU case {label}: {call}");
    }

    /// <summary>sacrebleu.raw_corpus_bleu: floor smoothing, 'none' tokenizer, effective order.</summary>
    private static BleuScore RawCorpusBleu(JsonElement inputs)
    {
        var smoothValue = inputs.GetProperty("smooth_value");
        var options = new BleuOptions
        {
            Smoothing = BleuSmoothing.Floor,
            SmoothingValue = smoothValue.ValueKind == JsonValueKind.Null ? null : smoothValue.GetDouble(),
            Tokenizer = BleuTokenizer.None,
            EffectiveOrder = true,
        };
        return Bleu.Corpus(Strings(inputs.GetProperty("hypotheses")), Streams(inputs.GetProperty("reference_streams")), options);
    }

    private static void AssertClose(double actual, JsonElement expected, JsonElement testCase, JsonElement local, string label)
    {
        var tolerance = testCase.GetProperty("tolerance");
        var absolute = tolerance.ValueKind == JsonValueKind.Object ? tolerance.GetProperty("abs").GetDouble() : 0.0;
        if (absolute == 0.0)
        {
            actual.Should().Be(expected.GetDouble(), label);
        }
        else
        {
            actual.Should().BeApproximately(expected.GetDouble(), absolute, label);
        }

        actual.Should().BeApproximately(local.GetDouble(), LocalTolerance, label + " (local reference run)");
    }

    internal static BleuTokenizer ParseTokenizer(string name) => name switch
    {
        "13a" => BleuTokenizer.Mteval13a,
        "none" => BleuTokenizer.None,
        "intl" => BleuTokenizer.International,
        "char" => BleuTokenizer.Character,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Tokenizer not supported."),
    };

    internal static BleuSmoothing ParseSmoothing(string name) => name switch
    {
        "exp" => BleuSmoothing.Exponential,
        "none" => BleuSmoothing.None,
        "floor" => BleuSmoothing.Floor,
        "add-k" => BleuSmoothing.AddK,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Smoothing not supported."),
    };

    private static int[] Ints(JsonElement array) => array.EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    private static IReadOnlyList<IReadOnlyList<string>> Streams(JsonElement array) =>
        array.EnumerateArray().Select(stream => (IReadOnlyList<string>)Strings(stream)).ToArray();
}
