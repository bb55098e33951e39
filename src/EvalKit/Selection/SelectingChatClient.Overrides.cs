using System.Globalization;
using Microsoft.Extensions.AI;

namespace EvalKit.Selection;

/// <content>The selection request of a chat request: the factory's, then the per-request overrides.</content>
public sealed partial class SelectingChatClient
{
    private SelectionRequest BuildRequest(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var properties = options?.AdditionalProperties;
        SelectionRequest request;
        if (properties is not null && properties.TryGetValue(SelectionPropertyNames.Request, out var whole) && whole is not null)
        {
            request = whole as SelectionRequest ?? throw Invalid(SelectionPropertyNames.Request, "a SelectionRequest", whole);
        }
        else
        {
            request = _requestFactory(new ChatSelectionContext(messages, options))
                ?? throw new InvalidOperationException("The selection request factory of SelectingChatClient returned null; return a SelectionRequest.");
        }

        if (properties is null || properties.Count == 0)
        {
            return request;
        }

        if (properties.TryGetValue(SelectionPropertyNames.Candidates, out var candidates) && candidates is not null)
        {
            request = request with { CandidateModelIds = Ids(SelectionPropertyNames.Candidates, candidates) };
        }

        if (properties.TryGetValue(SelectionPropertyNames.Capabilities, out var capabilities) && capabilities is not null)
        {
            request = request with { RequiredCapabilities = [.. request.RequiredCapabilities, .. Ids(SelectionPropertyNames.Capabilities, capabilities)] };
        }

        if (properties.TryGetValue(SelectionPropertyNames.TaskClass, out var taskClass) && taskClass is not null)
        {
            request = request with { TaskClass = taskClass as string ?? throw Invalid(SelectionPropertyNames.TaskClass, "a string", taskClass) };
        }

        if (properties.TryGetValue(SelectionPropertyNames.MaxCostPer1kRequests, out var maxCost) && maxCost is not null)
        {
            request = request with { MaxCostPer1kRequests = (decimal)Number(SelectionPropertyNames.MaxCostPer1kRequests, maxCost) };
        }

        if (properties.TryGetValue(SelectionPropertyNames.MaxP95LatencyMilliseconds, out var maxLatency) && maxLatency is not null)
        {
            request = request with { MaxP95Latency = TimeSpan.FromMilliseconds(Number(SelectionPropertyNames.MaxP95LatencyMilliseconds, maxLatency)) };
        }

        if (properties.TryGetValue(SelectionPropertyNames.MinQuality, out var minQuality) && minQuality is not null)
        {
            request = request with { MinQuality = Number(SelectionPropertyNames.MinQuality, minQuality) };
        }

        if (properties.TryGetValue(SelectionPropertyNames.Mode, out var mode) && mode is not null)
        {
            request = request with
            {
                Mode = mode switch
                {
                    SelectionMode m => m,
                    string s when Enum.TryParse<SelectionMode>(s, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) => parsed,
                    _ => throw Invalid(SelectionPropertyNames.Mode, "\"ranked\" or \"online\"", mode),
                },
            };
        }

        return request;
    }

    private static string[] Ids(string key, object value) => value switch
    {
        string text => text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        IEnumerable<string> ids => [.. ids],
        _ => throw Invalid(key, "a comma-separated string or a list of strings", value),
    };

    private static double Number(string key, object value)
    {
        var number = value switch
        {
            string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) => parsed,
            string => double.NaN,
            IConvertible convertible when value is not bool and not char => convertible.ToDouble(CultureInfo.InvariantCulture),
            _ => double.NaN,
        };
        return double.IsFinite(number) ? number : throw Invalid(key, "a finite number", value);
    }

    private static ArgumentException Invalid(string key, string expected, object value) =>
        new($"ChatOptions.AdditionalProperties[\"{key}\"] must be {expected} (was {value.GetType().Name} '{Convert.ToString(value, CultureInfo.InvariantCulture)}').", $"options.AdditionalProperties[{key}]");
}
