using BenchmarkDotNet.Attributes;
using EvalKit.Scoring;

namespace EvalKit.Benchmarks;

/// <summary>
/// Text metrics over 10,000 generated segment pairs (each benchmark invocation scores all of them).
/// The corpus is deterministic: a seeded generator draws 15 to 34 words per hypothesis, capitalises some,
/// ends with punctuation, and derives each reference by replacing about a quarter of the words.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 5)]
public class TextMetricBenchmarks
{
    private const int SegmentCount = 10_000;

    private static readonly string[] Words =
    [
        "the", "a", "of", "and", "to", "in", "is", "that", "for", "it", "as", "was", "with", "be", "by", "on",
        "not", "he", "this", "are", "or", "his", "from", "at", "which", "but", "have", "an", "they", "you",
        "were", "her", "she", "there", "been", "one", "all", "we", "their", "its", "new", "more", "after",
        "other", "time", "also", "year", "two", "people", "first", "can", "years", "only", "some", "over",
        "world", "state", "government", "city", "most", "made", "three", "many", "percent", "running", "reports",
    ];

    private string[] _hypotheses = [];
    private string[] _references = [];
    private string[][] _referenceLists = [];
    private IReadOnlyList<IReadOnlyList<string>> _referenceStreams = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _hypotheses = new string[SegmentCount];
        _references = new string[SegmentCount];
        var hypothesis = new List<string>();
        var reference = new List<string>();
        for (var i = 0; i < SegmentCount; i++)
        {
            hypothesis.Clear();
            reference.Clear();
            var length = random.Next(15, 35);
            for (var j = 0; j < length; j++)
            {
                var word = Words[random.Next(Words.Length)];
                if (random.Next(10) == 0)
                {
                    word = char.ToUpperInvariant(word[0]) + word[1..];
                }

                hypothesis.Add(word);
                reference.Add(random.Next(4) == 0 ? Words[random.Next(Words.Length)] : word);
            }

            _hypotheses[i] = string.Join(' ', hypothesis) + (random.Next(2) == 0 ? "." : ", indeed!");
            _references[i] = string.Join(' ', reference) + ".";
        }

        _referenceLists = _references.Select(r => new[] { r }).ToArray();
        _referenceStreams = [_references];
    }

    /// <summary>sacrebleu-style corpus BLEU (13a, exp smoothing) over all segments.</summary>
    [Benchmark]
    public double CorpusBleu() => Bleu.Corpus(_hypotheses, _referenceStreams).Score;

    /// <summary>Sentence BLEU (effective order) of every segment.</summary>
    [Benchmark]
    public double SentenceBleu()
    {
        var sum = 0.0;
        for (var i = 0; i < SegmentCount; i++)
        {
            sum += Bleu.Sentence(_hypotheses[i], _referenceLists[i]).Score;
        }

        return sum;
    }

    /// <summary>rouge-score ROUGE-L of every segment.</summary>
    [Benchmark]
    public double RougeL()
    {
        var sum = 0.0;
        for (var i = 0; i < SegmentCount; i++)
        {
            sum += Rouge.Score(_references[i], _hypotheses[i], RougeType.RougeL).FMeasure;
        }

        return sum;
    }
}
