using EvalKit.Samples.QuickStart;

// The quick-start: `dotnet run --project samples/EvalKit.Samples.QuickStart`.
// Evaluates three deterministic local models over a small dataset (exact match, and semantic similarity on a real local
// MiniLM embedding model), stores everything in ./evalkit.db
// (left behind so that you can open it), prints a comparison table and writes an HTML report beside the database.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};

var databasePath = Path.GetFullPath(args.Length > 0 ? args[0] : "evalkit.db");
return await QuickStart.RunAsync(Console.Out, databasePath, cancellation.Token);
