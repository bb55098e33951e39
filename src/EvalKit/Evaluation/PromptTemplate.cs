using System.Text;
using EvalKit.Datasets;

namespace EvalKit.Evaluation;

/// <summary>Renders prompt templates: <c>{{input}}</c> is the case's input, <c>{{metadata.key}}</c> a metadata value.</summary>
public static class PromptTemplate
{
    /// <summary>Renders a template for a case.</summary>
    /// <param name="template">The template.</param>
    /// <param name="case">The case.</param>
    /// <returns>The prompt.</returns>
    /// <exception cref="FormatException">The template names a placeholder that is unknown or a metadata key the case lacks.</exception>
    public static string Render(string template, EvalCase @case)
    {
        ArgumentNullException.ThrowIfNull(template);
        ArgumentNullException.ThrowIfNull(@case);
        if (template == "{{input}}")
        {
            return @case.Input.ToPromptText();
        }

        var output = new StringBuilder(template.Length + 64);
        var position = 0;
        while (true)
        {
            var open = template.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                output.Append(template, position, template.Length - position);
                return output.ToString();
            }

            var close = template.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                throw new FormatException($"The template has '{{{{' at position {open} without a closing '}}}}'.");
            }

            output.Append(template, position, open - position);
            var name = template.AsSpan(open + 2, close - open - 2).Trim();
            if (name.SequenceEqual("input"))
            {
                output.Append(@case.Input.ToPromptText());
            }
            else if (name.StartsWith("metadata.", StringComparison.Ordinal))
            {
                var key = name["metadata.".Length..].ToString();
                output.Append(@case.Metadata.TryGetValue(key, out var value)
                    ? value
                    : throw new FormatException($"The template uses '{{{{metadata.{key}}}}}' but case '{@case.Id}' has no metadata '{key}'."));
            }
            else
            {
                throw new FormatException($"The template uses the unknown placeholder '{{{{{name}}}}}'; use {{{{input}}}} or {{{{metadata.key}}}}.");
            }

            position = close + 2;
        }
    }
}
