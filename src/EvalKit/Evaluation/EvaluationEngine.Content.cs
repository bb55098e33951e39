using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EvalKit.Telemetry;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace EvalKit.Evaluation;

/// <summary>Prompt and answer content in telemetry: only when <see cref="EvalKitTelemetryOptions.IncludeContent"/> is on.</summary>
public sealed partial class EvaluationEngine
{
    // Telemetry is read by people and tools, not put into HTML: keep non-ASCII text readable.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private void RecordContent(Activity? activity, string runId, WorkItem item, List<ChatMessage> messages, string? output)
    {
        if (!_options.Telemetry.IncludeContent)
        {
            return;
        }

        var log = _logger.IsEnabled(LogLevel.Trace);
        if (activity is null && !log)
        {
            return;
        }

        var input = InputMessagesJson(messages);
        var answer = output is null ? null : OutputMessagesJson(output);
        activity?.SetTag("gen_ai.input.messages", input);
        if (answer is not null)
        {
            activity?.SetTag("gen_ai.output.messages", answer);
        }

        if (log)
        {
            LogCaseContent(runId, item.Case.Id, item.Repetition, input, answer);
        }
    }

    // The shape of the OpenTelemetry GenAI semantic conventions: [{"role":"user","parts":[{"type":"text","content":"..."}]}].
    private static string InputMessagesJson(List<ChatMessage> messages)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            foreach (var message in messages)
            {
                WriteMessage(writer, message.Role.Value, message.Text, finishReason: null);
            }

            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static string OutputMessagesJson(string output)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartArray();
            WriteMessage(writer, "assistant", output, "stop");
            writer.WriteEndArray();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteMessage(Utf8JsonWriter writer, string role, string text, string? finishReason)
    {
        writer.WriteStartObject();
        writer.WriteString("role", role);
        writer.WriteStartArray("parts");
        writer.WriteStartObject();
        writer.WriteString("type", "text");
        writer.WriteString("content", text);
        writer.WriteEndObject();
        writer.WriteEndArray();
        if (finishReason is not null)
        {
            writer.WriteString("finish_reason", finishReason);
        }

        writer.WriteEndObject();
    }

    [LoggerMessage(EventId = EvalKitTelemetryOptions.ContentEventId, Level = LogLevel.Trace, Message = "Case {CaseId} (repetition {Repetition}) of run {RunId}: input {Input}, output {Output}")]
    private partial void LogCaseContent(string runId, string caseId, int repetition, string input, string? output);
}
