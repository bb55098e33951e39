using System.Collections.Concurrent;
using EvalKit.Datasets;
using EvalKit.Evaluation;

namespace EvalKit.Samples.WebApi.FakeModels;

/// <summary>
/// What the fake models know: when a benchmark is created through the API, each case's prompt (as the benchmark renders
/// it) and its input are written down with the case's first reference. Only the offline fakes need this; a real model
/// answers on its own.
/// </summary>
internal sealed class AnswerBook
{
    private readonly ConcurrentDictionary<string, string> _byPrompt = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> _byInput = new(StringComparer.Ordinal);

    /// <summary>Writes down the answers of a benchmark's cases.</summary>
    /// <param name="benchmark">The benchmark (its prompt template renders the prompts).</param>
    /// <param name="cases">Its cases.</param>
    public void Learn(Benchmark benchmark, IEnumerable<EvalCase> cases)
    {
        ArgumentNullException.ThrowIfNull(benchmark);
        ArgumentNullException.ThrowIfNull(cases);
        foreach (var @case in cases.Where(c => c.References.Count > 0))
        {
            _byPrompt[PromptTemplate.Render(benchmark.PromptTemplate, @case)] = @case.References[0];
            var input = @case.Input.ToPromptText();
            if (input.Length > 0)
            {
                _byInput[input] = @case.References[0];
            }
        }
    }

    /// <summary>Finds the answer to a prompt: the exact prompt of a benchmark, else the longest known input it contains (for prompt variants).</summary>
    /// <param name="prompt">The prompt the model received.</param>
    /// <param name="answer">The right answer.</param>
    /// <returns><see langword="true"/> when the answer is known.</returns>
    public bool TryAnswer(string prompt, out string answer)
    {
        if (_byPrompt.TryGetValue(prompt, out answer!))
        {
            return true;
        }

        var best = _byInput
            .Where(e => prompt.Contains(e.Key, StringComparison.Ordinal))
            .OrderByDescending(e => e.Key.Length)
            .ThenBy(e => e.Key, StringComparer.Ordinal)
            .FirstOrDefault();
        answer = best.Value ?? string.Empty;
        return best.Key is not null;
    }
}
