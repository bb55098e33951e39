using EvalKit.Scoring;
using FluentAssertions;
using Xunit;

namespace EvalKit.Tests.Scoring;

/// <summary>
/// chrF / chrF++ cases. The first groups are transcribed from sacrebleu's test/test_chrf.py (upstream expected
/// values, tolerance 1e-4 as upstream); the rest are derived by hand from sacrebleu 2.x's chrF rules.
/// </summary>
public sealed class ChrFTests
{
    private const double UpstreamTolerance = 1e-4;

    // test_chrf.py test_cases: corpus_chrf(..., char_order=6, word_order=0, beta=3, eps_smoothing=True).
    public static TheoryData<string[], string[], double> EpsilonSmoothingCases => new()
    {
        { ["abcdefg"], ["hijklmnop"], 0.0 },
        { ["a"], ["b"], 0.0 },
        { [""], ["b"], 0.0 },
        { [""], ["ref"], 0.0 },
        { [""], ["reference"], 0.0 },
        { ["aa"], ["ab"], 8.3333 },
        { ["a", "b"], ["a", "c"], 8.3333 },
        { ["a"], ["a"], 16.6667 },
        { ["a b c"], ["a b c"], 50.0 },
        { ["a b c"], ["abc"], 50.0 },
        {
            [" risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists ."],
            ["risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists ."],
            63.361730
        },
        {
            [" Die    Beziehung zwischen  Obama und Netanjahu ist nicht gerade  freundlich. "],
            ["Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich."],
            64.1302698
        },
        { ["Niemand hat die Absicht, eine Mauer zu errichten"], ["Niemand hat die Absicht, eine Mauer zu errichten"], 100.0 },
    };

    // test_chrf.py test_cases_effective_order: eps_smoothing=False (sacrebleu 2.x default), beta=3.
    public static TheoryData<string[], string[], double> EffectiveOrderCases => new()
    {
        { ["a"], ["a"], 100.0 },
        { [""], ["reference"], 0.0 },
        { ["a b c"], ["a b c"], 100.0 },
        { ["a b c"], ["abc"], 100.0 },
        { [""], ["c"], 0.0 },
        { ["a", "b"], ["a", "c"], 50.0 },
        { ["aa"], ["ab"], 25.0 },
    };

    // test_chrf.py test_cases_keep_whitespace: remove_whitespace=False, beta=3.
    public static TheoryData<string, string, double> KeepWhitespaceCases => new()
    {
        {
            "Die Beziehung zwischen Obama und Netanjahu ist nicht gerade freundlich.",
            "Das Verhältnis zwischen Obama und Netanyahu ist nicht gerade freundschaftlich.",
            67.3481606
        },
        {
            "risk assessment must be made of those who are qualified and expertise in the sector - these are the scientists .",
            "risk assessment has to be undertaken by those who are qualified and expert in that area - that is the scientists .",
            65.2414427
        },
    };

    // test_chrf.py test_sentence_level_chrf: sentence_chrf(hypothesis, references, eps_smoothing=True).
    public static TheoryData<string, string, double> SentenceCases => new()
    {
        {
            "Co nás nejvíc trápí, protože lékaři si vybírají, kdo bude žít a kdo zemře.",
            "Nejvíce smutní jsme z toho, že musíme rozhodovat o tom, kdo bude žít a kdo zemře.",
            39.14078509
        },
        {
            "Nebo prostě nemají vybavení, které by jim pomohlo, uvedli lékaři.",
            "A někdy nemáme ani potřebný materiál, abychom jim pomohli, popsali lékaři.",
            31.22557079
        },
        {
            "Lapali po dechu, jejich životy skončily dřív, než skutečně začaly.",
            "Lapali po dechu a pak jejich život skončil - dřív, než skutečně mohl začít, připomněli.",
            57.15704367
        },
    };

    [Theory]
    [MemberData(nameof(EpsilonSmoothingCases))]
    public void Corpus_EpsilonSmoothing_MatchesSacrebleuTests(string[] hypotheses, string[] references, double expected)
    {
        var options = new ChrFOptions { Beta = 3, EpsSmoothing = true };
        ChrF.Corpus(hypotheses, [references], options).Score.Should().BeApproximately(expected, UpstreamTolerance);
    }

    [Theory]
    [MemberData(nameof(EffectiveOrderCases))]
    public void Corpus_EffectiveOrder_MatchesSacrebleuTests(string[] hypotheses, string[] references, double expected)
    {
        var options = new ChrFOptions { Beta = 3 };
        ChrF.Corpus(hypotheses, [references], options).Score.Should().BeApproximately(expected, UpstreamTolerance);
    }

    [Theory]
    [MemberData(nameof(KeepWhitespaceCases))]
    public void Corpus_KeepWhitespace_MatchesSacrebleuTests(string hypothesis, string reference, double expected)
    {
        var options = new ChrFOptions { Beta = 3, IncludeWhitespace = true };
        ChrF.Corpus([hypothesis], [[reference]], options).Score.Should().BeApproximately(expected, UpstreamTolerance);
    }

    [Theory]
    [MemberData(nameof(SentenceCases))]
    public void Sentence_EpsilonSmoothing_MatchesSacrebleuTests(string hypothesis, string reference, double expected)
    {
        ChrF.Sentence(hypothesis, [reference], new ChrFOptions { EpsSmoothing = true }).Score
            .Should().BeApproximately(expected, UpstreamTolerance);
    }

    [Fact]
    public void Sentence_ChrFPlusPlus_AveragesCharacterAndWordOrders()
    {
        // hyp "a b", ref "a c" without whitespace: chars "ab" / "ac".
        // char 1-grams: 2 / 2 / 1 match (p = r = 0.5); char 2-grams: 1 / 1 / 0 (p = r = 0); orders 3-6 empty.
        // word 1-grams: [a, b] / [a, c] / 1 (p = r = 0.5); word 2-grams: 1 / 1 / 0.
        // Effective order 4: P = R = (0.5 + 0 + 0.5 + 0) / 4 = 0.25; F2 = 5 * 0.25 * 0.25 / (4 * 0.25 + 0.25) = 0.25.
        var score = ChrF.Sentence("a b", ["a c"], ChrFOptions.ChrFPlusPlus);
        score.Score.Should().BeApproximately(25.0, 1e-12);
        score.Name.Should().Be("chrF2++");
        score.ToString().Should().Be("chrF2++ = 25.00");
    }

    [Fact]
    public void Sentence_WordNgrams_SplitPunctuationAsSacrebleu()
    {
        // Words only (char order 0). "(hi)" -> "(hi" + ")" (the last character is split first, issue #124);
        // "(hi )" -> "(" + "hi" and ")". One shared word ")": p = 1/2, r = 1/3,
        // F2 = 5 * (1/2) * (1/3) / (4 * (1/2) + 1/3).
        var score = ChrF.Sentence("(hi)", ["(hi )"], new ChrFOptions { CharOrder = 0, WordOrder = 1 });
        var expected = 5 * 0.5 * (1.0 / 3) / ((4 * 0.5) + (1.0 / 3));
        score.Score.Should().BeApproximately(100 * expected, 1e-12);
    }

    [Fact]
    public void Sentence_SeveralReferences_UsesTheBestReference()
    {
        var best = ChrF.Sentence("the cat sat", ["the cat sat"]);
        ChrF.Sentence("the cat sat", ["a dog ran", "the cat sat", "cats"]).Score.Should().Be(best.Score);
        best.Score.Should().BeApproximately(100.0, 1e-12);
    }

    [Fact]
    public void Sentence_SurrogatePairs_CountAsOneCharacter()
    {
        // "\U0001F600\U0001F600" vs "\U0001F600": char 1-grams 2 / 1 / 1 match (p = 0.5, r = 1); 2-grams 1 / 0 -> not effective.
        // F2 = 5 * 0.5 * 1 / (4 * 0.5 + 1) = 2.5 / 3.
        ChrF.Sentence("\U0001F600\U0001F600", ["\U0001F600"]).Score.Should().BeApproximately(100 * 2.5 / 3, 1e-12);
    }

    [Fact]
    public void Sentence_Lowercase_IgnoresCase()
    {
        ChrF.Sentence("ABC", ["abc"]).Score.Should().Be(0.0);
        ChrF.Sentence("ABC", ["abc"], new ChrFOptions { Lowercase = true }).Score.Should().BeApproximately(100.0, 1e-12);
    }

    [Fact]
    public void Corpus_StreamLengthMismatch_ThrowsNamingTheStream()
    {
        var act = () => ChrF.Corpus(["a", "b"], [["a"]]);
        act.Should().Throw<ArgumentException>().WithMessage("*referenceStreams[0]*");
    }
}
