namespace EvalKit.Samples.Workers;

/// <summary>
/// <c>dotnet run --project samples/EvalKit.Samples.Workers [-- --postgres "Host=...;Username=...;Database=..."]</c>: enqueues
/// one run of 3,000 cases in shards of 250 and starts three worker processes (this program again, with <c>worker</c>) that
/// share it through the store, a SQLite file by default or a PostgreSQL database.
/// </summary>
public static class Program
{
    /// <summary>Runs the sample, or one worker when the first argument is <c>worker</c>.</summary>
    /// <param name="args">Nothing, <c>--postgres CONNECTION</c>, or <c>worker STORE RUN NAME</c> (used by the sample itself).</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        using var stop = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };

        switch (args)
        {
            case ["worker", var store, var runId, var name]:
                return await Workers.WorkAsync(Console.Out, store, runId, name, stop.Token);
            case []:
            case ["--postgres", _]:
                var store2 = args.Length == 2 ? Workers.PostgresStore(args[1]) : Workers.SqliteStore(Path.Combine(Environment.CurrentDirectory, "evalkit-workers.db"));
                return await Workers.RunAsync(Console.Out, store2, Workers.ThisProgram(), stop.Token);
            default:
                await Console.Error.WriteLineAsync("usage: [--postgres CONNECTION_STRING]");
                return 2;
        }
    }
}
