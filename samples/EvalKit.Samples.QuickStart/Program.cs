using EvalKit.Samples.QuickStart;

// The quick-start: `dotnet run --project samples/EvalKit.Samples.QuickStart`.
// Evaluates three deterministic local models over a small dataset (exact match, and semantic similarity on a real local
// MiniLM embedding model), stores everything in ./evalkit.db (left behind so that you can open it), prints a comparison
// table, A/B tests the two best models, asks the selection engine for a recommendation and writes an HTML report beside
// the database. With `-- --endpoint URL --model NAME` it does the same with the models of an OpenAI-compatible server
// (the API key, if any, from the environment variable EVALKIT_API_KEY). `-- --help` prints the usage.
var commandLine = QuickStartCommandLine.Parse(args);
if (commandLine.ShowHelp)
{
    Console.Out.WriteLine(QuickStartCommandLine.Usage);
    return 0;
}

if (commandLine.Error is { } error)
{
    Console.Error.WriteLine($"Invalid arguments: {error}");
    Console.Error.WriteLine("Run with --help for the usage.");
    return 2;
}

using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

return await QuickStart.RunAsync(commandLine.Options!, Console.Out, cancellation.Token);
