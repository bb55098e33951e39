using System.Runtime.CompilerServices;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Scoring;
using EvalKit.Storage;

namespace EvalKit.Security;

/// <summary>Changes content fields on their way into a store (encrypts them, redacts them); one per write operation.</summary>
internal interface IContentWriter : IDisposable
{
    string Write(string text, FieldRecord record, string field);
}

/// <summary>Restores content fields on their way out of a store (decrypts them); one per read operation.</summary>
internal interface IContentReader : IDisposable
{
    ValueTask<string> ReadAsync(string text, FieldRecord record, string field, CancellationToken cancellationToken);
}

/// <summary>What a storage decorator does to content: which fields, and how they are written and read.</summary>
internal interface IContentProtector
{
    ContentFields Fields { get; }

    ValueTask<IContentWriter> BeginWriteAsync(CancellationToken cancellationToken);

    /// <summary>Starts a read, or returns <see langword="null"/> when stored values are read as they are.</summary>
    IContentReader? BeginRead();
}

/// <summary>
/// The dataset, result and response-cache stores of a decorator: every content field named by the protector goes
/// through it on the way in and out; ids, keys, groups, metadata, scores and timings pass unchanged, so lookups by them
/// keep working.
/// </summary>
internal sealed class ProtectedStores(IEvalKitStorage inner, IContentProtector protector)
{
    public IDatasetStorage Datasets { get; } = new DatasetStore(inner.Datasets, protector);

    public IResultStorage Results { get; } = new ResultStore(inner.Results, protector);

    public IResponseCacheStorage ResponseCache { get; } = new CacheStore(inner.ResponseCache, protector);

    public static EvalCase WriteCase(IContentWriter writer, ContentFields fields, string datasetId, long ordinal, EvalCase @case)
    {
        var record = FieldRecord.Case(datasetId, ordinal, @case.Id);
        var input = @case.Input;
        if (fields.HasFlag(ContentFields.Inputs))
        {
            input = new CaseInput
            {
                Text = input.Text is null ? null : writer.Write(input.Text, record, "input.text"),
                Messages = input.Messages is null ? null : [.. input.Messages.Select((m, i) => m with { Text = writer.Write(m.Text, record, $"input.messages[{i}]") })],
            };
        }

        var references = @case.References;
        if (fields.HasFlag(ContentFields.References) && references.Count > 0)
        {
            references = [.. references.Select((r, i) => writer.Write(r, record, $"references[{i}]"))];
        }

        return @case with { Input = input, References = references };
    }

    public static async ValueTask<EvalCase> ReadCaseAsync(IContentReader reader, ContentFields fields, string datasetId, long ordinal, EvalCase @case, CancellationToken cancellationToken)
    {
        var record = FieldRecord.Case(datasetId, ordinal, @case.Id);
        var input = @case.Input;
        if (fields.HasFlag(ContentFields.Inputs))
        {
            var text = input.Text is null ? null : await reader.ReadAsync(input.Text, record, "input.text", cancellationToken).ConfigureAwait(false);
            List<ChatTurn>? messages = null;
            if (input.Messages is not null)
            {
                messages = new List<ChatTurn>(input.Messages.Count);
                for (var i = 0; i < input.Messages.Count; i++)
                {
                    var turn = input.Messages[i];
                    messages.Add(turn with { Text = await reader.ReadAsync(turn.Text, record, $"input.messages[{i}]", cancellationToken).ConfigureAwait(false) });
                }
            }

            input = new CaseInput { Text = text, Messages = messages };
        }

        var references = @case.References;
        if (fields.HasFlag(ContentFields.References) && references.Count > 0)
        {
            var plain = new string[references.Count];
            for (var i = 0; i < plain.Length; i++)
            {
                plain[i] = await reader.ReadAsync(references[i], record, $"references[{i}]", cancellationToken).ConfigureAwait(false);
            }

            references = plain;
        }

        return @case with { Input = input, References = references };
    }

    private static CaseResult WriteResult(IContentWriter writer, ContentFields fields, CaseResult result)
    {
        if (!fields.HasFlag(ContentFields.Outputs))
        {
            return result;
        }

        var record = FieldRecord.Result(result.RunId, result.CaseOrdinal, result.Repetition);
        var output = result.Output is null ? null : writer.Write(result.Output, record, "output");
        var scores = result.Scores;
        if (scores.Any(s => s.Explanation is not null))
        {
            scores = [.. scores.Select((s, i) => s.Explanation is null ? s : s with { Explanation = writer.Write(s.Explanation, record, $"scores[{i}].explanation") })];
        }

        return result with { Output = output, Scores = scores };
    }

    private static async ValueTask<CaseResult> ReadResultAsync(IContentReader reader, ContentFields fields, CaseResult result, CancellationToken cancellationToken)
    {
        if (!fields.HasFlag(ContentFields.Outputs))
        {
            return result;
        }

        var record = FieldRecord.Result(result.RunId, result.CaseOrdinal, result.Repetition);
        var output = result.Output is null ? null : await reader.ReadAsync(result.Output, record, "output", cancellationToken).ConfigureAwait(false);
        var scores = result.Scores;
        if (scores.Any(s => s.Explanation is not null))
        {
            var plain = new Score[scores.Count];
            for (var i = 0; i < plain.Length; i++)
            {
                var score = scores[i];
                plain[i] = score.Explanation is null
                    ? score
                    : score with { Explanation = await reader.ReadAsync(score.Explanation, record, $"scores[{i}].explanation", cancellationToken).ConfigureAwait(false) };
            }

            scores = plain;
        }

        return result with { Output = output, Scores = scores };
    }

    private sealed class DatasetStore(IDatasetStorage inner, IContentProtector protector) : IDatasetStorage
    {
        public async ValueTask<DatasetInfo> CreateAsync(DatasetImport import, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(import);
            var fields = protector.Fields & (ContentFields.Inputs | ContentFields.References);
            if (fields == ContentFields.None)
            {
                return await inner.CreateAsync(import, cancellationToken).ConfigureAwait(false);
            }

            using var writer = await protector.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
            // The protected import keeps the content hash of the plaintext: re-importing the same content still matches.
            var protectedImport = import.Transform((ordinal, @case) => WriteCase(writer, fields, import.Id, ordinal, @case));
            return await inner.CreateAsync(protectedImport, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask<DatasetInfo?> GetAsync(string datasetId, CancellationToken cancellationToken = default) => inner.GetAsync(datasetId, cancellationToken);

        public IAsyncEnumerable<DatasetInfo> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

        public IAsyncEnumerable<StoredCase> ReadCasesAsync(string datasetId, long fromOrdinal = 0, CancellationToken cancellationToken = default)
        {
            var fields = protector.Fields & (ContentFields.Inputs | ContentFields.References);
            return fields == ContentFields.None ? inner.ReadCasesAsync(datasetId, fromOrdinal, cancellationToken) : ReadAsync(datasetId, fromOrdinal, fields, cancellationToken);
        }

        private async IAsyncEnumerable<StoredCase> ReadAsync(string datasetId, long fromOrdinal, ContentFields fields, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var reader = protector.BeginRead();
            await foreach (var stored in inner.ReadCasesAsync(datasetId, fromOrdinal, cancellationToken).ConfigureAwait(false))
            {
                yield return reader is null
                    ? stored
                    : new StoredCase(stored.Ordinal, await ReadCaseAsync(reader, fields, datasetId, stored.Ordinal, stored.Case, cancellationToken).ConfigureAwait(false));
            }
        }
    }

    private sealed class ResultStore(IResultStorage inner, IContentProtector protector) : IResultStorage
    {
        public async ValueTask<int> AppendAsync(IReadOnlyList<CaseResult> results, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(results);
            if (!protector.Fields.HasFlag(ContentFields.Outputs) || results.Count == 0)
            {
                return await inner.AppendAsync(results, cancellationToken).ConfigureAwait(false);
            }

            using var writer = await protector.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
            var written = new CaseResult[results.Count];
            for (var i = 0; i < written.Length; i++)
            {
                written[i] = WriteResult(writer, protector.Fields, results[i]);
            }

            return await inner.AppendAsync(written, cancellationToken).ConfigureAwait(false);
        }

        public IAsyncEnumerable<CaseResult> ReadAsync(string runId, CancellationToken cancellationToken = default) =>
            protector.Fields.HasFlag(ContentFields.Outputs) ? ReadCoreAsync(runId, cancellationToken) : inner.ReadAsync(runId, cancellationToken);

        public IAsyncEnumerable<ResultKey> ReadKeysAsync(string runId, CancellationToken cancellationToken = default) => inner.ReadKeysAsync(runId, cancellationToken);

        public IAsyncEnumerable<ResultKey> ReadKeysAsync(string runId, long fromOrdinal, long toOrdinal, CancellationToken cancellationToken = default) =>
            inner.ReadKeysAsync(runId, fromOrdinal, toOrdinal, cancellationToken);

        public ValueTask<ResultCounts> CountAsync(string runId, CancellationToken cancellationToken = default) => inner.CountAsync(runId, cancellationToken);

        private async IAsyncEnumerable<CaseResult> ReadCoreAsync(string runId, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            using var reader = protector.BeginRead();
            await foreach (var result in inner.ReadAsync(runId, cancellationToken).ConfigureAwait(false))
            {
                yield return reader is null ? result : await ReadResultAsync(reader, protector.Fields, result, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed class CacheStore(IResponseCacheStorage inner, IContentProtector protector) : IResponseCacheStorage
    {
        public async ValueTask<CachedResponse?> GetAsync(string key, CancellationToken cancellationToken = default)
        {
            // The key is a hash of what produced the answer: exact lookups work whatever happens to the text.
            var cached = await inner.GetAsync(key, cancellationToken).ConfigureAwait(false);
            if (cached is null || !protector.Fields.HasFlag(ContentFields.Outputs))
            {
                return cached;
            }

            using var reader = protector.BeginRead();
            return reader is null ? cached : cached with { Text = await reader.ReadAsync(cached.Text, FieldRecord.Cached(cached.Key), "text", cancellationToken).ConfigureAwait(false) };
        }

        public async ValueTask AddAsync(IReadOnlyList<CachedResponse> responses, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(responses);
            if (!protector.Fields.HasFlag(ContentFields.Outputs) || responses.Count == 0)
            {
                await inner.AddAsync(responses, cancellationToken).ConfigureAwait(false);
                return;
            }

            using var writer = await protector.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
            await inner.AddAsync([.. responses.Select(r => r with { Text = writer.Write(r.Text, FieldRecord.Cached(r.Key), "text") })], cancellationToken).ConfigureAwait(false);
        }
    }
}
