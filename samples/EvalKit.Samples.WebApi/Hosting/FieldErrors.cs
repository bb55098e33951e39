using System.Text;
using System.Text.Json;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>Collects validation problems by field, named as the field is named in JSON (snake_case, dotted, with indexes).</summary>
internal sealed class FieldErrors
{
    private readonly Dictionary<string, List<string>> _errors = new(StringComparer.Ordinal);

    /// <summary>Gets a value indicating whether any problem was added.</summary>
    public bool Any => _errors.Count > 0;

    /// <summary>Adds a problem.</summary>
    /// <param name="field">The JSON name of the field, such as <c>pricing.input_per_million_tokens</c> or <c>dataset.cases[2].id</c>.</param>
    /// <param name="message">What is wrong.</param>
    public void Add(string field, string message)
    {
        if (!_errors.TryGetValue(field, out var list))
        {
            _errors[field] = list = [];
        }

        list.Add(message);
    }

    /// <summary>Adds a problem when a required text is missing or blank.</summary>
    /// <param name="field">The JSON name of the field.</param>
    /// <param name="value">The value.</param>
    /// <returns><see langword="true"/> when the value is present.</returns>
    public bool Require(string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            Add(field, "is required.");
            return false;
        }

        return true;
    }

    /// <summary>Gets the problems in the shape of RFC 7807 validation problem details.</summary>
    /// <returns>The problems by field.</returns>
    public Dictionary<string, string[]> ToDictionary() =>
        _errors.ToDictionary(e => e.Key, e => e.Value.ToArray(), StringComparer.Ordinal);

    /// <summary>Converts a .NET member path (<c>Pricing.InputPerMillionTokens</c>, <c>Metadata[key]</c>) to its JSON name.</summary>
    /// <param name="path">The member path.</param>
    /// <returns>The snake_case path.</returns>
    public static string JsonPath(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var text = new StringBuilder(path.Length + 8);
        var i = 0;
        while (i < path.Length)
        {
            var bracket = path.IndexOf('[', i);
            var dot = path.IndexOf('.', i);
            var end = bracket >= 0 && (dot < 0 || bracket < dot) ? bracket : dot >= 0 ? dot : path.Length;
            if (end > i)
            {
                text.Append(JsonNamingPolicy.SnakeCaseLower.ConvertName(path[i..end]));
            }

            if (end == path.Length)
            {
                break;
            }

            if (path[end] == '[')
            {
                var close = path.IndexOf(']', end);
                close = close < 0 ? path.Length - 1 : close;
                text.Append(path, end, close - end + 1);
                i = close + 1;
            }
            else
            {
                text.Append('.');
                i = end + 1;
            }
        }

        return text.ToString();
    }
}
