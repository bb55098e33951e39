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
        private const string Sql =
            "INSERT OR IGNORE INTO evaluation_results (run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks, " +
            "input_tokens, output_tokens, cost, error_category, error_message, retry_count, cached, completed_at, ttft_ticks) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";

        private static readonly byte[] EmptyScores = "[]"u8.ToArray();

        /// <summary>Inserts the results in the connection's open transaction; returns how many were new.</summary>
        public static int Insert(sqlite3 db, IReadOnlyList<CaseResult> results)
        {
            Check(db, raw.sqlite3_prepare_v2(db, Sql, out sqlite3_stmt statement));
            using (statement)
            {
                var buffer = new ArrayBufferWriter<byte>(256);
                using var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Json.Options.Encoder, SkipValidation = true });
                Span<char> number = stackalloc char[64];
                var written = 0;
                foreach (var r in results)
                {
                    Text(db, statement, 1, r.RunId);
                    Check(db, raw.sqlite3_bind_int64(statement, 2, r.CaseOrdinal));
                    Check(db, raw.sqlite3_bind_int(statement, 3, r.Repetition));
                    Text(db, statement, 4, r.CaseId);
                    Text(db, statement, 5, r.Group);
                    Text(db, statement, 6, r.Output);
                    if (r.Scores.Count == 0)
                    {
                        Check(db, raw.sqlite3_bind_text(statement, 7, EmptyScores));
                    }
                    else
                    {
                        buffer.ResetWrittenCount();
                        json.Reset();
                        JsonSerializer.Serialize(json, r.Scores as List<Score> ?? [.. r.Scores], Json.ListScore);
                        Check(db, raw.sqlite3_bind_text(statement, 7, buffer.WrittenSpan));
                    }

                    Int64(db, statement, 8, r.Latency?.Ticks);
                    Int64(db, statement, 9, r.InputTokens);
                    Int64(db, statement, 10, r.OutputTokens);
                    if (r.Cost is { } cost && cost.TryFormat(number, out var length, default, CultureInfo.InvariantCulture))
                    {
                        Check(db, raw.sqlite3_bind_text16(statement, 11, number[..length]));
                    }
                    else
                    {
                        Text(db, statement, 11, r.Cost?.ToString(CultureInfo.InvariantCulture));
                    }

                    Text(db, statement, 12, r.Error is { } error ? CategoryNames[(int)error.Category] : null);
                    Text(db, statement, 13, r.Error?.Message);
                    Check(db, raw.sqlite3_bind_int(statement, 14, r.RetryCount));
                    Check(db, raw.sqlite3_bind_int(statement, 15, r.Cached ? 1 : 0));
                    Check(db, raw.sqlite3_bind_int64(statement, 16, Ticks(r.CompletedAt)));
                    Int64(db, statement, 17, r.TimeToFirstToken?.Ticks);

                    var rc = raw.sqlite3_step(statement);
                    if (rc != raw.SQLITE_DONE)
                    {
                        throw new SqliteException(raw.sqlite3_errmsg(db).utf8_to_string(), rc);
                    }

                    written += raw.sqlite3_changes(db);
                    Check(db, raw.sqlite3_reset(statement));
                }

                return written;
            }
        }

        private static readonly string[] CategoryNames = Enum.GetNames<ErrorCategory>();

        // Text as UTF-16 (SQLite stores it as UTF-8); a string with a NUL character as a UTF-8 BLOB, as the rest of the
        // provider writes it, since SQLite's text functions stop at a NUL.
        private static void Text(sqlite3 db, sqlite3_stmt statement, int index, string? value)
        {
            if (value is null)
            {
                Check(db, raw.sqlite3_bind_null(statement, index));
            }
            else if (value.Contains('\0', StringComparison.Ordinal))
            {
                Check(db, raw.sqlite3_bind_blob(statement, index, System.Text.Encoding.UTF8.GetBytes(value)));
            }
            else
            {
                Check(db, raw.sqlite3_bind_text16(statement, index, value.AsSpan()));
            }
        }

        private static void Int64(sqlite3 db, sqlite3_stmt statement, int index, long? value) =>
            Check(db, value is { } v ? raw.sqlite3_bind_int64(statement, index, v) : raw.sqlite3_bind_null(statement, index));
    }
}
