using EvalKit.Registry;

namespace EvalKit.Samples.QuickStart;

/// <summary>
/// The quick-start's command line: <c>[DATABASE] [--endpoint URL --model NAME...] [--help]</c>. Parsing never throws: a
/// bad argument gives <see cref="Error"/>, a sentence that names the argument and what is wrong with it.
/// </summary>
public sealed record QuickStartCommandLine
{
    /// <summary>Gets the options, when the arguments are valid and help was not asked for.</summary>
    public QuickStartOptions? Options { get; init; }

    /// <summary>Gets a value indicating whether <c>--help</c> (or <c>-h</c>, <c>-?</c>) was given.</summary>
    public bool ShowHelp { get; init; }

    /// <summary>Gets what is wrong with the arguments, or <see langword="null"/> when they are valid.</summary>
    public string? Error { get; init; }

    /// <summary>Gets the usage text that <c>--help</c> prints.</summary>
    public static string Usage { get; } =
        $"""
        EvalKit quick-start: evaluate models on a small shipped benchmark (exact match and MiniLM semantic similarity),
        store everything in SQLite, print a comparison table, A/B test the two best models, ask the selection engine for
        a recommendation and write an HTML report beside the database.

        Usage:
          dotnet run --project samples/EvalKit.Samples.QuickStart [-- [DATABASE] [--endpoint URL --model NAME ...]]

        Arguments:
          DATABASE          the SQLite file to use (default: evalkit.db); created when missing, kept afterwards
          --endpoint URL    evaluate the models of an OpenAI-compatible server instead of the three local simulated ones,
                            such as http://localhost:11434/v1 (Ollama), http://localhost:8000/v1 (vLLM) or
                            https://api.openai.com/v1 (OpenAI)
          --model NAME      a model the server serves (also its id in the registry); repeat the option or separate
                            names with commas, such as --model llama3.2:1b,qwen2.5:0.5b; needs --endpoint
          -h, --help        print this help

        The API key, when the server needs one, is read from the environment variable {QuickStart.ApiKeyVariable} and from
        nowhere else: it is sent to the server as a Bearer token, never printed and never stored (the registry records
        only the variable's name as the model's credential name).

        Exit codes: 0 success, 1 failure, 2 invalid arguments, 130 cancelled (Ctrl+C).
        """;

    /// <summary>Parses the arguments.</summary>
    /// <param name="args">The command-line arguments (without the program name).</param>
    /// <returns>The options, a request for help, or the first error found.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is <see langword="null"/>.</exception>
    public static QuickStartCommandLine Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        string? database = null;
        string? endpointText = null;
        var models = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i] ?? string.Empty;
            if (arg is "-h" or "--help" or "-?" or "/?")
            {
                return new QuickStartCommandLine { ShowHelp = true };
            }

            var (name, inlineValue) = SplitOption(arg);
            switch (name)
            {
                case "--endpoint":
                    if (!TryValue(args, ref i, name, inlineValue, out var endpoint, out var missing))
                    {
                        return Fail(missing);
                    }

                    if (endpointText is not null)
                    {
                        return Fail("--endpoint is given twice; the quick-start evaluates the models of one server.");
                    }

                    endpointText = endpoint;
                    break;
                case "--model":
                    if (!TryValue(args, ref i, name, inlineValue, out var list, out missing))
                    {
                        return Fail(missing);
                    }

                    var names = list.Split(',', StringSplitOptions.TrimEntries);
                    if (names.Any(string.IsNullOrEmpty))
                    {
                        return Fail($"--model '{list}' has an empty model name; separate names with single commas.");
                    }

                    models.AddRange(names);
                    break;
                case "--api-key" or "--key" or "--apikey" or "--token":
                    return Fail($"{name} is not accepted: the API key is read only from the environment variable {QuickStart.ApiKeyVariable}, never from the command line (where other users and the shell history could see it).");
                default:
                    if (arg.StartsWith('-') && arg.Length > 1)
                    {
                        return Fail($"Unknown option '{name}'.");
                    }

                    if (database is not null)
                    {
                        return Fail($"Unexpected argument '{arg}': the database is already '{database}' (one DATABASE at most).");
                    }

                    if (string.IsNullOrWhiteSpace(arg))
                    {
                        return Fail("The DATABASE argument is empty.");
                    }

                    database = arg;
                    break;
            }
        }

        Uri? uri = null;
        if (endpointText is not null)
        {
            if (EndpointError(endpointText, out uri) is { } problem)
            {
                return Fail(problem);
            }

            if (models.Count == 0)
            {
                return Fail("--endpoint needs at least one --model NAME: the models to evaluate on that server.");
            }
        }
        else if (models.Count > 0)
        {
            return Fail("--model needs --endpoint URL: the OpenAI-compatible server that serves the model (the local models need no --model).");
        }

        var repeated = models.GroupBy(m => m, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"'{g.Key}'").ToList();
        if (repeated.Count > 0)
        {
            return Fail($"--model names {string.Join(", ", repeated)} more than once.");
        }

        if (models.FirstOrDefault(m => !ModelValidation.IsValidId(m)) is { } invalid)
        {
            return Fail($"--model '{invalid}' cannot be a registry id: use letters, digits and . _ - @ + in segments separated by '/', then optionally ':' and a tag, such as 'gpt-4o-mini', 'llama3.2:1b' or 'Qwen/Qwen2.5-0.5B-Instruct'.");
        }

        return new QuickStartCommandLine
        {
            Options = new QuickStartOptions { DatabasePath = database ?? "evalkit.db", Endpoint = uri, Models = models },
        };
    }

    private static QuickStartCommandLine Fail(string error) => new() { Error = error };

    private static (string Name, string? Value) SplitOption(string arg)
    {
        if (!arg.StartsWith("--", StringComparison.Ordinal))
        {
            return (arg, null);
        }

        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals < 0 ? (arg, null) : (arg[..equals], arg[(equals + 1)..]);
    }

    private static bool TryValue(IReadOnlyList<string> args, ref int i, string name, string? inlineValue, out string value, out string error)
    {
        error = string.Empty;
        if (inlineValue is not null)
        {
            value = inlineValue;
        }
        else if (i + 1 < args.Count && !(args[i + 1] ?? string.Empty).StartsWith("--", StringComparison.Ordinal))
        {
            value = args[++i] ?? string.Empty;
        }
        else
        {
            value = string.Empty;
            error = $"{name} needs a value ({(name == "--endpoint" ? "--endpoint URL" : "--model NAME")}).";
            return false;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            error = $"{name} has an empty value.";
            return false;
        }

        return true;
    }

    // The endpoint is an absolute http(s) address without credentials or query: a key belongs in the environment variable.
    // The value is not repeated in the error: a key pasted in the wrong place would end up on screen.
    private static string? EndpointError(string text, out Uri? uri)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            uri = null;
            return "--endpoint is not an absolute http:// or https:// address, such as http://localhost:11434/v1.";
        }

        if (uri.UserInfo.Length > 0)
        {
            uri = null;
            return $"--endpoint must not carry user information (user:password@): put the API key in {QuickStart.ApiKeyVariable}.";
        }

        if (uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            uri = null;
            return $"--endpoint must not have a query or fragment: give the server's base address, such as http://localhost:11434/v1 (a key belongs in {QuickStart.ApiKeyVariable}).";
        }

        return null;
    }
}
