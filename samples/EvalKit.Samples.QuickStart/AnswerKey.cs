using EvalKit.Datasets;
using EvalKit.Evaluation;

namespace EvalKit.Samples.QuickStart;

/// <summary>What the simulated models know: the reference answer of every prompt a benchmark sends.</summary>
public sealed class AnswerKey
{
    private readonly Dictionary<string, Entry> _entries;

    private AnswerKey(Dictionary<string, Entry> entries) => _entries = entries;

    /// <summary>Gets the number of prompts the key knows.</summary>
    public int Count => _entries.Count;

    /// <summary>Builds the key from a dataset and the prompt template that wraps its cases.</summary>
    /// <param name="dataset">The dataset; each case's first reference is its answer.</param>
    /// <param name="promptTemplate">The benchmark's prompt template.</param>
    /// <returns>The key.</returns>
    public static AnswerKey Create(Dataset dataset, string promptTemplate)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(promptTemplate);
        var answersByGroup = dataset.Cases
            .Where(c => c.References.Count > 0)
            .GroupBy(GroupOf, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(c => c.References[0]).Distinct(StringComparer.Ordinal)], StringComparer.Ordinal);
        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var @case in dataset.Cases.Where(c => c.References.Count > 0))
        {
            var answer = @case.References[0];
            var others = answersByGroup[GroupOf(@case)].Where(a => !string.Equals(a, answer, StringComparison.Ordinal)).ToArray();
            entries[PromptTemplate.Render(promptTemplate, @case)] = new Entry(answer, others);
        }

        return new AnswerKey(entries);
    }

    /// <summary>Looks up the answer to a prompt.</summary>
    /// <param name="prompt">The prompt as the model receives it.</param>
    /// <param name="answer">The right answer.</param>
    /// <param name="wrongAnswers">Plausible wrong answers: the answers of the other cases of the same group.</param>
    /// <returns><see langword="true"/> when the prompt is known.</returns>
    public bool TryGetAnswer(string prompt, out string answer, out IReadOnlyList<string> wrongAnswers)
    {
        if (_entries.TryGetValue(prompt, out var entry))
        {
            answer = entry.Answer;
            wrongAnswers = entry.WrongAnswers;
            return true;
        }

        answer = string.Empty;
        wrongAnswers = [];
        return false;
    }

    private static string GroupOf(EvalCase @case) =>
        @case.Group ?? (@case.Metadata.TryGetValue("topic", out var topic) ? topic : string.Empty);

    private sealed record Entry(string Answer, IReadOnlyList<string> WrongAnswers);
}
