using System.Text;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Scoring;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// Text that breaks naive storage code comes back verbatim from every provider: SQL and LIKE metacharacters, quotes,
/// backslashes, NUL, the private-use character a provider may escape with, emoji and other surrogate pairs, bidirectional
/// marks, combining characters, byte-order marks and a 1 MB string, in model, dataset, result, metric, A/B test and
/// experiment records. Text with a lone (unpaired) surrogate is not well-formed Unicode and UTF-8 cannot carry it: every
/// provider stores each lone surrogate as U+FFFD REPLACEMENT CHARACTER (what UTF-8 encoders and System.Text.Json do), and
/// leaves well-formed text, surrogate pairs included, untouched.
/// </summary>
public abstract class OddTextStorageTests : StorageTestBase
{
    /// <summary>The odd strings, by a name safe to print. None is blank; each is distinct.</summary>
    public static readonly IReadOnlyDictionary<string, string> Odd = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["sql-drop"] = "'); DROP TABLE evaluation_results;--",
        ["sql-or"] = "x' OR '1'='1",
        ["dollar-param"] = "$1",
        ["dollar-quote"] = "$$; SELECT 1; $$",
        ["percent"] = "%",
        ["underscore"] = "_",
        ["like-pattern"] = "%_\\%[a-z]*",
        ["quotes"] = "\"double\" 'single' `back` \u201Ccurly\u201D",
        ["backslashes"] = "C:\\temp\\n \\\\server\\share \\u0000 \\",
        ["nul-inside"] = "before\0after",
        ["nul-only"] = "\0",
        ["escape-char"] = "\uE000",
        ["escape-look-alike"] = "\uE0000 \uE000\uE000",
        ["emoji"] = "\U0001F600 \U0001F469\u200D\U0001F469\u200D\U0001F467 \U0001F3F3\uFE0F\u200D\U0001F308",
        ["astral"] = "\U0001D11E \U00020000 \U0010FFFD",
        ["rtl"] = "\u200F\u05E9\u05DC\u05D5\u05DD\u200E abc \u202Eevil\u202C \u0627\u0644\u0639\u0631\u0628\u064A\u0629",
        ["combining"] = "e\u0301 \u00E9 Z\u0324\u0308\u0345 \u0915\u094D\u0937",
        ["bom"] = "\uFEFFtext\uFEFF",
        ["line-breaks"] = "a\r\nb\rc\nd\te\u2028f\u0085g",
        ["json-like"] = "{\"input\": [1, 2], \"x\": null}",
        ["noncharacters"] = "\uFFFE\uFFFF\uFDD0",
        ["controls"] = "\u0001\u0007\u001B[31m\u007F",
    };

    /// <summary>A 1 MiB (1,048,576 characters) string that mixes ASCII, two- and three-byte characters, surrogate pairs, quotes, backslashes and NUL.</summary>
    public static readonly string Megabyte = BuildMegabyte();

    /// <summary>Strings holding an unpaired surrogate, by a printable name.</summary>
    public static readonly IReadOnlyDictionary<string, string> LoneSurrogates = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["high-alone"] = "a\uD800b",
        ["low-alone"] = "a\uDC00b",
        ["high-at-end"] = "ab\uD83D",
        ["reversed-pair"] = "\uDE00\uD83D",
    };

    [Fact]
    public virtual async Task Models_OddText_RoundTripVerbatim()
    {
        foreach (var (name, text) in Odd)
        {
            var model = TestData.Model(text) with
            {
                DisplayName = text,
                Version = text,
                Metadata = new Dictionary<string, string> { [text] = text, ["plain"] = text },
            };

            (await Storage.Models.TryAddAsync(model, Ct)).Should().BeTrue(name);
            (await Storage.Models.GetAsync(text, Ct)).Should().Be(model, name);
        }

        var big = TestData.Model("local/megabyte") with { DisplayName = Megabyte, Metadata = new Dictionary<string, string> { ["big"] = Megabyte } };
        (await Storage.Models.TryAddAsync(big, Ct)).Should().BeTrue();
        (await Storage.Models.GetAsync("local/megabyte", Ct)).Should().Be(big);

        var listed = await ToListAsync(Storage.Models.ListAsync(Ct));
        listed.Select(m => m.Id).Should().BeEquivalentTo(Odd.Values.Append("local/megabyte"));

        // Pattern and quoting characters are matched literally.
        (await Storage.Models.GetAsync("%%", Ct)).Should().BeNull();
        (await Storage.Models.GetAsync("$2", Ct)).Should().BeNull();
        (await Storage.Models.GetAsync("x", Ct)).Should().BeNull();
        (await Storage.Models.GetAsync("before", Ct)).Should().BeNull();
    }

    [Fact]
    public virtual async Task Datasets_OddText_RoundTripVerbatim()
    {
        var cases = new List<EvalCase>();
        foreach (var (name, text) in Odd)
        {
            cases.Add(new EvalCase
            {
                Id = text,
                Input = text,
                References = [text, name + text],
                Group = text,
                Metadata = new Dictionary<string, string> { [text] = text, ["name"] = name },
            });
        }

        cases.Add(new EvalCase
        {
            Id = "chat",
            Input = CaseInput.FromMessages(Odd.Values.Select((text, i) => new ChatTurn(i % 2 == 0 ? "user" : "assistant", text))),
            References = [.. Odd.Values],
        });
        cases.Add(new EvalCase
        {
            Id = "megabyte",
            Input = Megabyte,
            References = [Megabyte],
            Metadata = new Dictionary<string, string> { ["big"] = Megabyte },
        });
        var datasetName = Odd["sql-drop"] + Odd["emoji"];
        var import = new DatasetImport(datasetName, Odd["like-pattern"], cases.ToAsyncEnumerable(), TestData.Epoch, Odd["nul-inside"] + Odd["rtl"]);

        var info = await Storage.Datasets.CreateAsync(import, Ct);

        info.Name.Should().Be(datasetName);
        info.Version.Should().Be(Odd["like-pattern"]);
        var stored = await Storage.Datasets.GetAsync(info.Id, Ct);
        stored.Should().NotBeNull();
        stored!.Name.Should().Be(datasetName);
        stored.Description.Should().Be(Odd["nul-inside"] + Odd["rtl"]);
        stored.CaseCount.Should().Be(cases.Count);
        var read = await ToListAsync(Storage.Datasets.ReadCasesAsync(info.Id, 0, Ct));
        read.Select(c => c.Case).Should().Equal(cases);
        (await ToListAsync(Storage.Datasets.ListAsync(Ct))).Select(d => d.Id).Should().Equal(info.Id);
    }

    [Fact]
    public virtual async Task Results_OddText_RoundTripVerbatim()
    {
        var runId = Odd["sql-drop"];
        await Storage.Runs.TryAddAsync(TestData.Run(runId, modelId: Odd["emoji"], datasetId: Odd["percent"]) with { Scorers = [.. Odd.Values], PrimaryMetric = Odd["quotes"] }, Ct);
        var results = new List<CaseResult>();
        long ordinal = 0;
        foreach (var (name, text) in Odd)
        {
            results.Add(TestData.Result(runId, ordinal) with
            {
                CaseId = text,
                Group = text,
                Output = text,
                Scores = [new Score { Name = text, Value = ordinal, Label = text, Explanation = text, Error = name }],
            });
            results.Add(TestData.Result(runId, ordinal, repetition: 1, failed: true) with { CaseId = text, Error = new CaseError(ErrorCategory.Fatal, text) });
            ordinal++;
        }

        results.Add(TestData.Result(runId, ordinal) with { CaseId = "megabyte", Output = Megabyte, Scores = [new Score { Name = "judge", Value = 1, Explanation = Megabyte }] });

        (await Storage.Results.AppendAsync(results, Ct)).Should().Be(results.Count);

        var stored = await ToListAsync(Storage.Results.ReadAsync(runId, Ct));
        stored.Should().BeEquivalentTo(results, o => o.WithStrictOrdering());
        (await ToListAsync(Storage.Results.ReadAsync(Odd["percent"], Ct))).Should().BeEmpty();
        var run = await Storage.Runs.GetAsync(runId, Ct);
        run!.ModelId.Should().Be(Odd["emoji"]);
        run.Scorers.Should().Equal(Odd.Values);
        (await ToListAsync(Storage.Runs.ListAsync(modelId: Odd["emoji"], cancellationToken: Ct))).Should().ContainSingle();
        (await ToListAsync(Storage.Runs.ListAsync(modelId: "%", cancellationToken: Ct))).Should().BeEmpty();
    }

    [Fact]
    public virtual async Task Metrics_OddText_RoundTripVerbatim()
    {
        var points = Odd.Select((pair, i) => new MetricPoint
        {
            ModelId = pair.Value,
            Name = pair.Value,
            Value = i,
            Timestamp = TestData.Epoch.AddSeconds(i),
            RunId = pair.Value,
            Tags = new Dictionary<string, string> { [pair.Value] = pair.Value, ["name"] = pair.Key },
        }).ToList();

        await Storage.Metrics.AppendAsync(points, Ct);

        foreach (var point in points)
        {
            var query = new MetricQuery { ModelId = point.ModelId, Name = point.Name, From = TestData.Epoch.AddDays(-1), To = TestData.Epoch.AddDays(1) };
            var because = point.Tags["name"];
            (await ToListAsync(Storage.Metrics.QueryAsync(query, Ct))).Should().ContainSingle(because).Which.Should().BeEquivalentTo(point, because);
            (await ToListAsync(Storage.Metrics.QueryAsync(query with { Tags = new Dictionary<string, string> { [point.ModelId] = point.ModelId } }, Ct)))
                .Should().ContainSingle(because);
            (await ToListAsync(Storage.Metrics.QueryAsync(query with { Tags = new Dictionary<string, string> { [point.ModelId] = point.ModelId + "x" } }, Ct)))
                .Should().BeEmpty(because);
        }
    }

    [Fact]
    public virtual async Task AbTestsAndExperiments_OddNames_RoundTripVerbatim()
    {
        var index = 0;
        foreach (var (name, text) in Odd.Append(new("megabyte", Megabyte)))
        {
            var id = $"odd-{index++}";
            var test = new AbTest
            {
                Id = id,
                Definition = new AbTestDefinition { Id = id, Name = text, ModelIds = [text, "local/b"], BenchmarkId = text, PrimaryMetric = text },
                RunIds = new Dictionary<string, string> { [text] = text },
                Error = text,
                CreatedAt = TestData.Epoch,
            };
            (await Storage.AbTests.TryAddAsync(test, Ct)).Should().BeTrue(name);
            (await Storage.AbTests.GetAsync(id, Ct)).Should().Be(test, name);

            var experiment = ExperimentStorageTests.Experiment(id);
            experiment = experiment with
            {
                Definition = experiment.Definition with { Name = text, Description = text, Hypothesis = text, Tags = new Dictionary<string, string> { [text] = text } },
                Error = text,
            };
            (await Storage.Experiments.TryAddAsync(experiment, Ct)).Should().BeTrue(name);
            (await Storage.Experiments.GetAsync(id, Ct)).Should().Be(experiment, name);
        }

        (await ToListAsync(Storage.AbTests.ListAsync(Ct))).Should().HaveCount(Odd.Count + 1);
        (await ToListAsync(Storage.Experiments.ListAsync(Ct))).Should().HaveCount(Odd.Count + 1);
    }

    [Fact]
    public virtual async Task LoneSurrogate_InAnyRecord_IsStoredAsReplacementCharacter()
    {
        var index = 0;
        foreach (var (name, text) in LoneSurrogates)
        {
            var expected = Replaced(text);
            expected.Should().Contain("\uFFFD").And.NotBe(text);
            var id = $"lone-{index++}";

            var model = TestData.Model($"local/{id}") with { DisplayName = text, Metadata = new Dictionary<string, string> { [text] = text } };
            await Storage.Models.TryAddAsync(model, Ct);
            (await Storage.Models.GetAsync($"local/{id}", Ct)).Should().Be(model with { DisplayName = expected, Metadata = new Dictionary<string, string> { [expected] = expected } }, name);

            var info = await Storage.Datasets.CreateAsync(TestData.Import(id, [TestData.Case(0), new EvalCase { Id = text, Input = text, References = [text], Metadata = new Dictionary<string, string> { ["k"] = text } }]), Ct);
            var cases = await ToListAsync(Storage.Datasets.ReadCasesAsync(info.Id, 0, Ct));
            cases[1].Case.Should().Be(new EvalCase { Id = expected, Input = expected, References = [expected], Metadata = new Dictionary<string, string> { ["k"] = expected } }, name);

            await Storage.Results.AppendAsync([TestData.Result(id, 0), TestData.Result(id, 1) with { Output = text, CaseId = text, Error = new CaseError(ErrorCategory.Fatal, text) }], Ct);
            var results = await ToListAsync(Storage.Results.ReadAsync(id, Ct));
            results[1].Should().BeEquivalentTo(TestData.Result(id, 1) with { Output = expected, CaseId = expected, Error = new CaseError(ErrorCategory.Fatal, expected) }, name);

            await Storage.Metrics.AppendAsync([TestData.Point($"local/{id}", "m", 1, TestData.Epoch) with { Tags = new Dictionary<string, string> { ["k"] = text } }], Ct);
            var query = new MetricQuery { ModelId = $"local/{id}", From = TestData.Epoch.AddDays(-1), To = TestData.Epoch.AddDays(1) };
            (await ToListAsync(Storage.Metrics.QueryAsync(query, Ct))).Should().ContainSingle(name).Which.Tags["k"].Should().Be(expected, name);

            var test = new AbTest { Id = id, Definition = new AbTestDefinition { Name = text, ModelIds = ["a", "b"], BenchmarkId = "b" }, CreatedAt = TestData.Epoch };
            await Storage.AbTests.TryAddAsync(test, Ct);
            (await Storage.AbTests.GetAsync(id, Ct))!.Definition.Name.Should().Be(expected, name);

            await Storage.Experiments.TryAddAsync(ExperimentStorageTests.Experiment(id) with { Error = text }, Ct);
            (await Storage.Experiments.GetAsync(id, Ct))!.Error.Should().Be(expected, name);
        }
    }

    /// <summary>The text as UTF-8 carries it: each lone surrogate replaced by U+FFFD, pairs kept.</summary>
    private static string Replaced(string text) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));

    private static string BuildMegabyte()
    {
        var pieces = new[] { "plain ascii ", "caf\u00E9 ", "\u20AC\u4E2D ", "\U0001F600", "\"q\" ", "\\b\\ ", "\0", "'; --", "\r\n" };
        var text = new StringBuilder(1 << 20);
        for (var i = 0; text.Length < (1 << 20); i++)
        {
            text.Append(pieces[i % pieces.Length]);
        }

        // Cut to exactly 1 MiB characters without splitting a surrogate pair.
        var length = 1 << 20;
        if (char.IsHighSurrogate(text[length - 1]))
        {
            text[length - 1] = 'x';
        }

        return text.ToString(0, length);
    }
}
