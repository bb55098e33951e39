using EvalKit.Scoring;
using FluentAssertions;
using Xunit;

namespace EvalKit.Tests.Scoring;

/// <summary>Properties every text metric must have, checked on seeded random sentences.</summary>
public sealed class TextMetricPropertyTests
{
    private static readonly string[] Vocabulary =
    [
        "the", "a", "cat", "dog", "sat", "on", "mat", "Running", "runs", "quickly", "3.5", "-", ",", ".", "!",
        "naïve", "café", "ΟΔΟΣ", "x-y", "(hi)", "don't", "\U0001F600", "1,000", "$", "&amp;",
    ];

    public static TheoryData<int> Seeds => new() { 1, 2, 3, 4, 5, 6, 7, 8 };

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Scores_RandomText_StayInRange(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 50; i++)
        {
            var a = Sentence(random);
            var b = Sentence(random);
            Bleu.Sentence(a, [b]).Score.Should().BeInRange(0, 100 + 1e-9);
            ChrF.Sentence(a, [b], ChrFOptions.ChrFPlusPlus).Score.Should().BeInRange(0, 100 + 1e-9);
            foreach (var type in Enum.GetValues<RougeType>())
            {
                var score = Rouge.Score(a, b, type, useStemmer: i % 2 == 0);
                score.Precision.Should().BeInRange(0, 1);
                score.Recall.Should().BeInRange(0, 1);
                score.FMeasure.Should().BeInRange(0, 1);
            }

            SquadText.F1(a, b).Should().BeInRange(0, 1);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Scores_IdenticalText_ArePerfect(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 50; i++)
        {
            var text = Sentence(random);
            Bleu.Sentence(text, [text]).Score.Should().BeApproximately(100, 1e-9, text);
            ChrF.Sentence(text, [text]).Score.Should().BeApproximately(100, 1e-9, text);
            ChrF.Sentence(text, [text], ChrFOptions.ChrFPlusPlus).Score.Should().BeApproximately(100, 1e-9, text);
            SquadText.ExactMatch(text, text).Should().Be(1.0);
            // rouge-score keeps only [a-z0-9] runs: a text of punctuation or Greek has no tokens and scores 0.
            var hasTokens = text.Any(char.IsAsciiLetterOrDigit);
            foreach (var type in new[] { RougeType.Rouge1, RougeType.RougeL, RougeType.RougeLsum })
            {
                Rouge.Score(text, text, type, useStemmer: true).FMeasure.Should().Be(hasTokens ? 1.0 : 0.0, text);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void FMeasures_SwappedArguments_AreSymmetric(int seed)
    {
        var random = new Random(seed);
        for (var i = 0; i < 50; i++)
        {
            var a = Sentence(random);
            var b = Sentence(random);
            foreach (var type in new[] { RougeType.Rouge1, RougeType.Rouge2, RougeType.Rouge4, RougeType.RougeL })
            {
                var forward = Rouge.Score(a, b, type);
                var backward = Rouge.Score(b, a, type);
                backward.Precision.Should().Be(forward.Recall);
                backward.Recall.Should().Be(forward.Precision);
                backward.FMeasure.Should().BeApproximately(forward.FMeasure, 1e-15);
            }

            SquadText.F1(a, b).Should().BeApproximately(SquadText.F1(b, a), 1e-15);
        }
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void Corpus_Statistics_AreSumsOfSegmentStatistics(int seed)
    {
        var random = new Random(seed);
        var hypotheses = Enumerable.Range(0, 30).Select(_ => Sentence(random)).ToArray();
        var references = Enumerable.Range(0, 30).Select(_ => Sentence(random) + " end").ToArray();
        var corpus = Bleu.Corpus(hypotheses, [references]);
        var segments = hypotheses.Select((h, i) => Bleu.Sentence(h, [references[i]])).ToArray();
        for (var n = 0; n < 4; n++)
        {
            corpus.Counts[n].Should().Be(segments.Sum(s => s.Counts[n]));
            corpus.Totals[n].Should().Be(segments.Sum(s => s.Totals[n]));
        }

        corpus.SystemLength.Should().Be(segments.Sum(s => s.SystemLength));
        corpus.ReferenceLength.Should().Be(segments.Sum(s => s.ReferenceLength));
    }

    [Fact]
    public void Scores_RepeatedCalls_AreDeterministic()
    {
        // The per-thread workspace is reused between calls; results must not depend on earlier calls.
        var first = Bleu.Corpus(["the cat sat on the mat"], [["the cat is on the mat"]]);
        _ = Bleu.Corpus(["completely different text with many other words"], [["and a long reference"]]);
        _ = Rouge.Score("x y z", "z y x", RougeType.RougeLsum);
        Bleu.Corpus(["the cat sat on the mat"], [["the cat is on the mat"]]).Should().Be(first);
    }

    private static string Sentence(Random random)
    {
        var length = random.Next(1, 15);
        return string.Join(' ', Enumerable.Range(0, length).Select(_ => Vocabulary[random.Next(Vocabulary.Length)]));
    }
}
