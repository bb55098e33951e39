using System.Diagnostics;
using System.Globalization;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Storage.Sqlite;
using Microsoft.Extensions.AI;

namespace EvalKit.Benchmarks;

/// <summary>
/// The memory check of the engine: generates a JSONL file of N cases (1,000,000 by default), streams it into a SQLite
/// store, evaluates it with a zero-latency model and reports the process's peak working set and the bytes allocated per
/// case. <c>dotnet run -c Release --project benchmarks/EvalKit.Benchmarks -- memory [cases]</c>. Exits 1 when the peak
/// working set reaches 200 MB. The peak includes the garbage the GC lets accumulate between collections: its gen0
/// budget, which .NET sizes from the processor's last-level cache and the memory it may use, so it differs from machine
/// to machine (80 MB on the 2-core build machine, whose virtual processor reports a 260 MB L3 cache). The report names
/// that budget and the heap limit in force; <c>DOTNET_GCHeapHardLimit=0xC000000</c> (192 MB, the limit .NET sets itself
/// in a 256 MB container) runs the check as a memory-limited host would.
/// </summary>
public static class MemoryRun
{
    private const long Budget = 200L * 1024 * 1024;

    /// <summary>Runs the check.</summary>
    /// <param name="args">The arguments after <c>memory</c>: an optional case count.</param>
    /// <returns>0 when the peak working set stayed under 200 MB; otherwise 1.</returns>
    public static async Task<int> RunAsync(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var cases = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1_000_000;
        var folder = Directory.CreateTempSubdirectory("evalkit-memory-").FullName;
        try
        {
            var jsonl = Path.Combine(folder, "cases.jsonl");
            await using (var writer = new StreamWriter(jsonl))
            {
                for (var i = 0; i < cases; i++)
                {
                    await writer.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{{\"id\":\"c{i}\",\"input\":\"What is {i} + {i}?\",\"reference\":\"{2L * i}\",\"group\":\"g{i % 100}\"}}"));
                }
            }

            var clock = Stopwatch.StartNew();
            await using var kit = EvalKitHost.Create(
                storage: new SqliteEvalKitStorage($"Data Source={Path.Combine(folder, "evalkit.db")}"),
                clients: new ModelClientMap().Add("local/arithmetic", new ArithmeticChatClient()));
            await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "local/arithmetic" });
            var beforeImport = GC.GetTotalAllocatedBytes(precise: true);
            var dataset = await kit.Datasets.ImportAsync("million", "1", EvalKit.Datasets.Datasets.ReadJsonlAsync(jsonl));
            var imported = clock.Elapsed;
            var beforeRun = GC.GetTotalAllocatedBytes(precise: true);
            var run = await kit.Engine.EvaluateAsync(new EvaluationRequest { ModelId = "local/arithmetic", DatasetId = dataset.Id, Options = new EvaluationOptions { MaxConcurrency = 8 } });
            var evaluated = clock.Elapsed - imported;
            var afterRun = GC.GetTotalAllocatedBytes(precise: true);

            // What the run still holds once garbage is collected: the host, the store's caches and the summary.
            var live = GC.GetTotalMemory(forceFullCollection: true);
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            var peak = process.PeakWorkingSet64;

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"cases                      {cases:N0}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"import (streamed)          {imported.TotalSeconds:F1} s, {(beforeRun - beforeImport) / (double)cases:F0} bytes allocated per case"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"evaluation                 {evaluated.TotalSeconds:F1} s, {cases / evaluated.TotalSeconds:N0} cases/s, {(afterRun - beforeRun) / (double)cases:F0} bytes allocated per case"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"exact match                {run.Summary!.Metrics["exact_match"].Mean:F4} (n = {run.Summary.Metrics["exact_match"].N:N0})"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"live managed heap after    {live / 1024.0 / 1024.0:F1} MB"));
            var gc = GC.GetGCMemoryInfo(GCKind.Ephemeral);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"GC heap limit              {(GC.GetConfigurationVariables().TryGetValue("GCHeapHardLimit", out var limit) && Convert.ToInt64(limit, CultureInfo.InvariantCulture) > 0 ? $"{Convert.ToInt64(limit, CultureInfo.InvariantCulture) / 1024.0 / 1024.0:F0} MB" : "none")}, gen0 budget at the last collection {gc.GenerationInfo[0].SizeBeforeBytes / 1024.0 / 1024.0:F0} MB"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set           {peak / 1024.0 / 1024.0:F1} MB (budget 200 MB)"));
            return peak < Budget ? 0 : 1;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Answers "What is N + N?" with 2N, wrong on every seventh case; no lookup table, so the model holds no memory.</summary>
    private sealed class ArithmeticChatClient : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var prompt = messages.Last().Text;
            var n = long.Parse(prompt.AsSpan(8, prompt.IndexOf(' ', 8) - 8), CultureInfo.InvariantCulture);
            var answer = n % 7 == 0 ? "unsure" : (2 * n).ToString(CultureInfo.InvariantCulture);
            return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
            {
                Usage = new UsageDetails { InputTokenCount = 8, OutputTokenCount = 2 },
            });
        }

        public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public object? GetService(Type serviceType, object? serviceKey = null) => null;

        public void Dispose()
        {
        }
    }
}
