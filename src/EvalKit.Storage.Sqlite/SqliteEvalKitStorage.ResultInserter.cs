using System.Buffers;
using System.Globalization;
using System.Text.Json;
using EvalKit.Evaluation;
using EvalKit.Scoring;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EvalKit.Storage.Sqlite;

/// <content>The result writer's inner loop, on SQLitePCL: the engine's hottest write.</content>
public sealed partial class SqliteEvalKitStorage
{
    private static class ResultInserter
    {
        // The tenant is ?18: bound once per batch, since a batch belongs to one tenant.
        private const string Sql =
            "INSERT OR IGNORE INTO evaluation_results (run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks, " +
            "input_tokens, output_tokens, cost, error_category, error_message, retry_count, cached, completed_at, ttft_ticks, tenant_id) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)";

        private static readonly byte[] EmptyScores = "[]"u8.ToArray();

        /// <summary>Inserts the results of a tenant in the connection's open transaction; returns how many were new.</summary>
        public static int Insert(sqlite3 db, string tenant, IReadOnlyList<CaseResult> results)
        {
            Check(db, raw.sqlite3_prepare_v2(db, Sql, out sqlite3_stmt statement));
            using (statement)
            {
                using var bound = new Bindings(db, statement);
                bound.Text(18, tenant);
                var before = raw.sqlite3_total_changes(db);
                foreach (var r in results)
                {
                    bound.Text(1, r.RunId);
                    bound.Int64(2, r.CaseOrdinal);
                    bound.Int64(3, r.Repetition);
                    bound.Text(4, r.CaseId);
                    bound.Text(5, r.Group);
                    bound.Text(6, r.Output);
                    bound.Scores(7, r.Scores);
                    bound.Int64(8, r.Latency?.Ticks);
                    bound.Int64(9, r.InputTokens);
                    bound.Int64(10, r.OutputTokens);
                    bound.Cost(11, r.Cost);
                    bound.Text(12, r.Error is { } error ? CategoryNames[(int)error.Category] : null);
                    bound.Text(13, r.Error?.Message);
                    bound.Int64(14, r.RetryCount);
                    bound.Int64(15, r.Cached ? 1 : 0);
                    bound.Int64(16, Ticks(r.CompletedAt));
                    bound.Int64(17, r.TimeToFirstToken?.Ticks);

                    var rc = raw.sqlite3_step(statement);
                    if (rc != raw.SQLITE_DONE)
                    {
                        throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
                    }

                    // A reset keeps the bindings: the next row binds only the values that differ from this one's (the run,
                    // the repetition, the token counts and the error columns rarely change within a batch).
                    Check(db, raw.sqlite3_reset(statement));
                }

                // Rows ignored as already stored are not changes: the difference counts the new ones.
                return raw.sqlite3_total_changes(db) - before;
            }
        }

        private static readonly string[] CategoryNames = Enum.GetNames<ErrorCategory>();

        /// <summary>The statement's current bindings, so that a value equal to the bound one is not bound again.</summary>
        private sealed class Bindings(sqlite3 db, sqlite3_stmt statement) : IDisposable
        {
            private const int Count = 19;
            private readonly bool[] _set = new bool[Count];
            private readonly long?[] _numbers = new long?[Count];
            private readonly string?[] _texts = new string?[Count];
            private readonly ArrayBufferWriter<byte> _json = new(256);
            private byte[] _scores = [];
            private IReadOnlyList<Score>? _lastScores;
            private decimal? _cost;
            private Utf8JsonWriter? _writer;

            public void Int64(int index, long? value)
            {
                if (_set[index] && _numbers[index] == value)
                {
                    return;
                }

                Check(db, value is { } v ? raw.sqlite3_bind_int64(statement, index, v) : raw.sqlite3_bind_null(statement, index));
                _numbers[index] = value;
                _set[index] = true;
            }

            // Text as UTF-16 (SQLite stores it as UTF-8); a string with a NUL character as a UTF-8 BLOB, as the rest of the
            // provider writes it, since SQLite's text functions stop at a NUL.
            public void Text(int index, string? value)
            {
                if (_set[index] && string.Equals(_texts[index], value, StringComparison.Ordinal))
                {
                    return;
                }

                if (value is null)
                {
                    Check(db, raw.sqlite3_bind_null(statement, index));
                }
                else if (value.Contains('\0', StringComparison.Ordinal))
                {
                    Check(db, raw.sqlite3_bind_blob(statement, index, System.Text.Encoding.UTF8.GetBytes(value)));
                }
                else if (value.StartsWith('\uFEFF') || value.StartsWith('\uFFFE') || value.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0)
                {
                    // SQLite takes a leading U+FEFF or U+FFFE of UTF-16 text for a byte-order mark, and converts a lone
                    // surrogate its own way: such text goes in as UTF-8 (a lone surrogate becoming U+FFFD, as elsewhere).
                    Check(db, raw.sqlite3_bind_text(statement, index, System.Text.Encoding.UTF8.GetBytes(value).AsSpan()));
                }
                else
                {
                    Check(db, raw.sqlite3_bind_text16(statement, index, value.AsSpan()));
                }

                _texts[index] = value;
                _set[index] = true;
            }

            public void Scores(int index, IReadOnlyList<Score> scores)
            {
                // Consecutive results usually carry equal scores (every exact match that passed, say): comparing the
                // records is far cheaper than serializing them to compare the JSON.
                if (_set[index] && SameScores(scores))
                {
                    return;
                }

                _lastScores = scores;
                ReadOnlySpan<byte> utf8 = EmptyScores;
                if (scores.Count > 0)
                {
                    _json.ResetWrittenCount();
                    Writer.Reset();
                    JsonSerializer.Serialize(Writer, scores as List<Score> ?? [.. scores], Json.ListScore);
                    utf8 = _json.WrittenSpan;
                }

                if (_set[index] && utf8.SequenceEqual(_scores))
                {
                    return;
                }

                Check(db, raw.sqlite3_bind_text(statement, index, utf8));
                _scores = utf8.ToArray();
                _set[index] = true;
            }

            private bool SameScores(IReadOnlyList<Score> scores)
            {
                var last = _lastScores;
                if (last is null || last.Count != scores.Count)
                {
                    return false;
                }

                for (var i = 0; i < scores.Count; i++)
                {
                    if (!scores[i].Equals(last[i]))
                    {
                        return false;
                    }
                }

                return true;
            }

            public void Cost(int index, decimal? value)
            {
                if (_set[index] && _cost == value)
                {
                    return;
                }

                Span<char> text = stackalloc char[64];
                if (value is { } cost && cost.TryFormat(text, out var length, default, CultureInfo.InvariantCulture))
                {
                    Check(db, raw.sqlite3_bind_text16(statement, index, text[..length]));
                }
                else
                {
                    Check(db, raw.sqlite3_bind_null(statement, index));
                }

                _cost = value;
                _set[index] = true;
            }

            private Utf8JsonWriter Writer => _writer ??= new Utf8JsonWriter(_json, new JsonWriterOptions { Encoder = Json.Options.Encoder, SkipValidation = true });

            public void Dispose() => _writer?.Dispose();
        }
    }
}
