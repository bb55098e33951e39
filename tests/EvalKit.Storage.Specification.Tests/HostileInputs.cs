using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// FsCheck generators of hostile input: random bytes drawn mostly from the characters that matter to JSON and CSV, and
/// valid dataset and suite files damaged by a few random mutations (flipped, deleted, repeated and inserted bytes,
/// truncation). Inputs stay under a few kilobytes, so every load is quick.
/// </summary>
public static class HostileInputs
{
    public const string ValidJsonl =
        "{\"id\": \"q1\", \"input\": \"2+2?\", \"reference\": \"4\", \"group\": \"arith\", \"metadata\": {\"level\": \"easy\", \"n\": 1}}\n" +
        "{\"id\": \"q2\", \"messages\": [{\"role\": \"system\", \"content\": \"Be brief.\"}, {\"role\": \"user\", \"content\": \"3+3?\"}], \"references\": [\"6\", \"six\"]}\n" +
        "{\"input\": \"caf\u00e9 \U0001F600 \\\"quoted\\\"\", \"reference\": \"x\"}\n";

    public const string ValidJson =
        "[\n  {\"id\": \"q1\", \"input\": \"2+2?\", \"reference\": \"4\", \"metadata\": {\"level\": \"easy\"}},\n" +
        "  {\"id\": \"q2\", \"messages\": [{\"role\": \"user\", \"content\": \"3+3?\"}], \"references\": [\"6\"]},\n" +
        "  {\"input\": \"\u05e9\u05dc\u05d5\u05dd\", \"group\": \"g\"}\n]\n";

    public const string ValidCsv =
        "id,input,reference,reference_2,level\n" +
        "q1,2+2?,4,four,easy\n" +
        "q2,\"a, \"\"quoted\"\"\nanswer\",6,,hard\n" +
        "q3,caf\u00e9,x,y,\r\n";

    public const string ValidSuite =
        "{\n  // a comment\n  \"id\": \"arith\", \"name\": \"Arithmetic\", \"version\": 2,\n" +
        "  \"dataset\": {\"path\": \"data.jsonl\", \"format\": \"jsonl\", \"mapping\": {\"input\": \"input\", \"metadataColumns\": [\"level\"]}},\n" +
        "  \"promptTemplate\": \"Q: {{input}} ({{metadata.level}})\", \"systemPrompt\": \"Answer.\",\n" +
        "  \"fewShot\": [{\"input\": \"1+1\", \"output\": \"2\"}],\n" +
        "  \"scorers\": [\"exact_match\"], \"primaryMetric\": \"exact_match\",\n" +
        "  \"defaultOptions\": {\"maxConcurrency\": 4, \"temperature\": 0, \"timeout\": \"00:00:30\"},\n}\n";

    private static readonly byte[] Alphabet = Encoding.UTF8.GetBytes("{}[]\",:\\ \n\r\t0123456789.-+eEtrufalsn\"idnputrefc#'/");

    private static readonly byte[] Oddities = [0x00, 0xFF, 0xFE, 0xC3, 0xA9, 0xC0, 0xED, 0xA0, 0x80, 0xEF, 0xBB, 0xBF, 0xF0, 0x9F, 0x98, 0x80, 0x0B, 0x1B];

    private enum Edit
    {
        Flip,
        Delete,
        Repeat,
        Insert,
        Truncate,
        Splice,
    }

    /// <summary>Random byte strings of up to 512 bytes: JSON and CSV punctuation, letters, invalid UTF-8 pieces, NUL and BOM bytes.</summary>
    public static Gen<byte[]> RandomBytes() =>
        Gen.Frequency(
            (8, Gen.Elements(Alphabet)),
            (2, Gen.Elements(Oddities)),
            (1, Gen.Choose(0, 255).Select(b => (byte)b)))
        .ArrayOf()
        .Select(bytes => bytes.Length > 512 ? bytes[..512] : bytes);

    /// <summary>A valid file damaged by up to six random edits (one in eight is left intact).</summary>
    /// <param name="valid">The valid text.</param>
    public static Gen<byte[]> Mutations(string valid)
    {
        var original = Encoding.UTF8.GetBytes(valid);
        var edit =
            from kind in Gen.Elements(Enum.GetValues<Edit>())
            from at in Gen.Choose(0, original.Length)
            from length in Gen.Choose(1, 24)
            from value in Gen.Frequency((3, Gen.Elements(Alphabet)), (1, Gen.Elements(Oddities)))
            select (kind, at, length, value);
        return
            from count in Gen.Frequency((1, Gen.Constant(0)), (7, Gen.Choose(1, 6)))
            from edits in edit.ArrayOf(count)
            select Apply(original, edits);
    }

    /// <summary>Every kind of input: random bytes, and each valid file mutated.</summary>
    public static Gen<byte[]> AnyDataset() =>
        Gen.Frequency(
            (1, RandomBytes()),
            (2, Mutations(ValidJsonl)),
            (2, Mutations(ValidJson)),
            (2, Mutations(ValidCsv)));

    private static byte[] Apply(byte[] original, (Edit Kind, int At, int Length, byte Value)[] edits)
    {
        var bytes = new List<byte>(original);
        foreach (var (kind, rawAt, length, value) in edits)
        {
            var at = Math.Min(rawAt, bytes.Count);
            var span = Math.Min(length, bytes.Count - at);
            switch (kind)
            {
                case Edit.Flip when at < bytes.Count:
                    bytes[at] = value;
                    break;
                case Edit.Delete:
                    bytes.RemoveRange(at, span);
                    break;
                case Edit.Repeat:
                    bytes.InsertRange(at, bytes.GetRange(at, span));
                    break;
                case Edit.Insert:
                    bytes.InsertRange(at, Enumerable.Repeat(value, length % 4 + 1));
                    break;
                case Edit.Truncate:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case Edit.Splice when bytes.Count > 0:
                    // Move a piece to another place: breaks nesting while keeping every token.
                    var piece = bytes.GetRange(at, span);
                    bytes.RemoveRange(at, span);
                    bytes.InsertRange((at * 7 + length) % (bytes.Count + 1), piece);
                    break;
            }
        }

        return [.. bytes];
    }
}
