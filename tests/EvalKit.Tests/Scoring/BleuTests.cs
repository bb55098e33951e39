using EvalKit.Scoring;
using FluentAssertions;
using Xunit;

namespace EvalKit.Tests.Scoring;

/// <summary>
/// BLEU cases beyond the upstream ones. Expected values are derived by hand from sacrebleu's rules
/// (tokenizer regular expressions applied left to right, clipped counts, closest reference length,
/// exp smoothing, effective order); each derivation is in a comment.
/// </summary>
public sealed class BleuTests
{
    [Theory]
    // " Hello, world! ": '!' is in the first class -> " ! "; pass 2 splits "o," -> "o , ".
    [InlineData("Hello, world!", new[] { "Hello", ",", "world", "!" })]
    // '$' -> " $ "; "3.50," keeps "3.50" (digits around '.'), splits ", " (pass 3); "k." -> "k . ".
    [InlineData("It costs $3.50, ok.", new[] { "It", "costs", "$", "3.50", ",", "ok", "." })]
    // Pass 4 splits a dash after a digit only.
    [InlineData("1-2 a-b 2-", new[] { "1", "-", "2", "a-b", "2", "-" })]
    // The apostrophe is not in any class.
    [InlineData("don't", new[] { "don't" })]
    // Pass 2 consumes "a." so the second '.' stays glued to 'b' until pass 3 splits ".b".
    [InlineData("a..b", new[] { "a", ".", ".", "b" })]
    // Entities are unescaped in order: &quot; then &amp; (making "&lt;") then &lt;.
    [InlineData("&quot;Hi&quot; &amp;lt;", new[] { "\"", "Hi", "\"", "<" })]
    // "-\n" joins lines, other newlines are spaces, "<skipped>" disappears.
    [InlineData("foo-\nbar a\nb <skipped>x", new[] { "foobar", "a", "b", "x" })]
    // Non-ASCII letters are ordinary characters; 'é' before '.' is a non-digit.
    [InlineData("naïve café.", new[] { "naïve", "café", "." })]
    // U+00A0 and U+001F are whitespace for Python's str.split() (U+001F is not for char.IsWhiteSpace).
    [InlineData("x\u00A0y\u001Fz", new[] { "x", "y", "z" })]
    public void Tokenize_Mteval13a_SplitsAsSacrebleu(string text, string[] expected)
    {
        Tokens(BleuTokenizer.Mteval13a, text).Should().Equal(expected);
    }

    [Fact]
    public void Tokenize_None_SplitsOnPythonWhitespaceOnly()
    {
        Tokens(BleuTokenizer.None, "Hello, world!\u3000ok").Should().Equal("Hello,", "world!", "ok");
    }

    [Fact]
    public void Tokenize_International_SplitsPunctuationAndSymbols()
    {
        // (\P{N})(\p{P}) -> "\1 \2 ", (\p{P})(\P{N}) -> " \1 \2", (\p{S}) -> " \1 ":
        // "1,000" keeps its comma (digits on both sides); "€5" splits the currency symbol; "«hi»" splits the quotes.
        Tokens(BleuTokenizer.International, "1,000 €5 «hi» end.").Should().Equal("1,000", "€", "5", "«", "hi", "»", "end", ".");
    }

    [Fact]
    public void Tokenize_Character_MakesEveryCodePointAToken()
    {
        // A surrogate pair is one code point, hence one token.
        Tokens(BleuTokenizer.Character, "ab \U0001F600c").Should().Equal("a", "b", "\U0001F600", "c");
    }

    [Fact]
    public void Tokenize_Lowercase_UsesPythonLowercasing()
    {
        // Python: 'ΟΔΟΣ'.lower() == 'οδος' (final sigma), 'İ'.lower() == 'i̇'.
        Tokens(BleuTokenizer.None, "ΟΔΟΣ İ", lowercase: true).Should().Equal("οδος", "i\u0307");
    }

    [Fact]
    public void Sentence_IdenticalText_Scores100()
    {
        var score = Bleu.Sentence("the cat sat on the mat", ["the cat sat on the mat"]);
        score.Score.Should().BeApproximately(100.0, 1e-12);
        score.BrevityPenalty.Should().Be(1.0);
        score.Counts.Should().Equal(6, 5, 4, 3);
        score.Totals.Should().Equal(6, 5, 4, 3);
    }

    [Fact]
    public void Sentence_EmptyHypothesis_ScoresZeroWithZeroBrevityPenalty()
    {
        // No n-grams: early exit with score 0; sys_len 0 < ref_len 2 gives bp 0.
        var score = Bleu.Sentence(string.Empty, ["the cat"]);
        score.Score.Should().Be(0.0);
        score.BrevityPenalty.Should().Be(0.0);
        score.SystemLength.Should().Be(0);
        score.ReferenceLength.Should().Be(2);
    }

    [Fact]
    public void Sentence_SeveralReferences_ClipsByMaximumReferenceCount()
    {
        // hyp "the cat", refs "the dog" / "a cat": unigrams the, cat both matched (2/2), bigram "the cat" 0/1,
        // no trigrams so effective order 2. exp smoothing: p1 = 100, p2 = 100 / (2 * 1) = 50.
        // BLEU = exp((ln 100 + ln 50) / 2) = sqrt(5000).
        var score = Bleu.Sentence("the cat", ["the dog", "a cat"]);
        score.Score.Should().BeApproximately(Math.Sqrt(5000), 1e-12);
        score.Counts.Should().Equal(2, 0, 0, 0);
        score.Totals.Should().Equal(2, 1, 0, 0);
        score.Precisions[0].Should().Be(100.0);
        score.Precisions[1].Should().Be(50.0);
    }

    [Fact]
    public void Sentence_ShortHypothesis_AppliesBrevityPenalty()
    {
        // hyp "the cat" vs "the cat sat": p1 = p2 = 100, effective order 2; bp = exp(1 - 3/2).
        var score = Bleu.Sentence("the cat", ["the cat sat"]);
        score.BrevityPenalty.Should().BeApproximately(Math.Exp(-0.5), 1e-15);
        score.Score.Should().BeApproximately(100 * Math.Exp(-0.5), 1e-12);
    }

    [Fact]
    public void Sentence_EquallyCloseReferences_TakesTheShorterLength()
    {
        // hyp has 3 tokens; refs of 2 and 4 tokens are both 1 away: sacrebleu keeps the shorter, 2.
        var score = Bleu.Sentence("a b c", ["a b c d", "a b"]);
        score.ReferenceLength.Should().Be(2);
        score.BrevityPenalty.Should().Be(1.0);
    }

    [Fact]
    public void Sentence_NullAndEmptyReferences_AreSkipped()
    {
        var expected = Bleu.Sentence("the cat sat", ["the cat sat down"]);
        Bleu.Sentence("the cat sat", [null!, string.Empty, "the cat sat down"]).Should().Be(expected);
    }

    [Fact]
    public void Sentence_NoNonEmptyReference_Throws()
    {
        var act = () => Bleu.Sentence("the cat", [string.Empty]);
        act.Should().Throw<ArgumentException>().WithParameterName("references");
    }

    [Fact]
    public void Sentence_Lowercase_MatchesDifferentlyCasedText()
    {
        Bleu.Sentence("The Cat", ["the cat"]).Score.Should().Be(0.0);
        Bleu.Sentence("The Cat", ["the cat"], new BleuOptions { Lowercase = true }).Score.Should().BeApproximately(100.0, 1e-12);
    }

    [Fact]
    public void Sentence_AddK_ReportsRawCounts()
    {
        // sacrebleu adds k to counts and totals of orders >= 2 inside compute_bleu; EvalKit reports raw counts.
        // hyp "a b c" vs "a b d": counts 2,1,0 totals 3,2,1; with k = 1: p1 = 200/3, p2 = 200/3, p3 = 100/2 = 50.
        var score = Bleu.Sentence("a b c", ["a b d"], new BleuOptions { Smoothing = BleuSmoothing.AddK });
        score.Counts.Should().Equal(2, 1, 0, 0);
        score.Totals.Should().Equal(3, 2, 1, 0);
        var expected = Math.Exp((Math.Log(200.0 / 3) + Math.Log(200.0 / 3) + Math.Log(50.0) + Math.Log(100.0)) / 4);

        // Order 4: total 0 + k = 1, correct 0 + k = 1 -> precision 100; nothing breaks, so all four orders count.
        score.Score.Should().BeApproximately(expected, 1e-12);
    }

    [Fact]
    public void Corpus_VariableReferenceCount_EqualsSumOfSegmentStatistics()
    {
        string[] hypotheses = ["the cat sat on the mat", "a quick brown fox", "hello there"];
        IReadOnlyList<string>[] streams =
        [
            ["the cat is on the mat", "the quick brown fox", "hello"],
            ["there is a cat on the mat", null!, string.Empty],
        ];
        var corpus = Bleu.Corpus(hypotheses, streams);

        var segments = new[]
        {
            Bleu.Sentence(hypotheses[0], [streams[0][0], streams[1][0]]),
            Bleu.Sentence(hypotheses[1], [streams[0][1]]),
            Bleu.Sentence(hypotheses[2], [streams[0][2]]),
        };
        for (var n = 0; n < 4; n++)
        {
            corpus.Counts[n].Should().Be(segments.Sum(s => s.Counts[n]));
            corpus.Totals[n].Should().Be(segments.Sum(s => s.Totals[n]));
        }

        corpus.SystemLength.Should().Be(segments.Sum(s => s.SystemLength));
        corpus.ReferenceLength.Should().Be(segments.Sum(s => s.ReferenceLength));
        var fromStatistics = Bleu.FromStatistics(corpus.Counts, corpus.Totals, corpus.SystemLength, corpus.ReferenceLength);
        fromStatistics.Score.Should().Be(corpus.Score);
    }

    [Fact]
    public void Corpus_StreamLengthMismatch_ThrowsNamingTheStream()
    {
        var act = () => Bleu.Corpus(["a", "b"], [["a", "b"], ["a"]]);
        act.Should().Throw<ArgumentException>().WithParameterName("referenceStreams").WithMessage("*referenceStreams[1]*");
    }

    [Fact]
    public void Corpus_SegmentWithoutReference_Throws()
    {
        var act = () => Bleu.Corpus(["a", "b"], [["a", string.Empty]]);
        act.Should().Throw<ArgumentException>().WithMessage("*Segment 1*");
    }

    [Fact]
    public void Corpus_NoHypotheses_Throws()
    {
        var act = () => Bleu.Corpus([], [[]]);
        act.Should().Throw<ArgumentException>().WithParameterName("hypotheses");
    }

    [Fact]
    public void Corpus_InvalidOrder_Throws()
    {
        var act = () => Bleu.Corpus(["a"], [["a"]], new BleuOptions { MaxNgramOrder = 0 });
        act.Should().Throw<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void ToString_FormatsAsSacrebleu()
    {
        var score = Bleu.Sentence("the cat", ["the dog", "a cat"]);
        score.ToString().Should().Be("BLEU = 70.71 100.0/50.0/0.0/0.0 (BP = 1.000 ratio = 1.000 hyp_len = 2 ref_len = 2)");
    }

    private static string[] Tokens(BleuTokenizer tokenizer, string text, bool lowercase = false)
    {
        var workspace = TextWorkspace.Current;
        workspace.Tokens.Reset();
        var count = SacreBleuTokenizer.Tokenize(tokenizer, text, lowercase, workspace, 0);
        var ids = workspace.TokenBuffer(count);
        return Enumerable.Range(0, count).Select(i => workspace.Tokens[ids[i]].ToString()).ToArray();
    }
}
