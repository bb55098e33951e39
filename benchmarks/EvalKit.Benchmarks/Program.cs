using BenchmarkDotNet.Running;

namespace EvalKit.Benchmarks;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project benchmarks/EvalKit.Benchmarks -- --filter '*'</c>;
/// <c>-- memory [cases]</c> runs the engine's memory check instead.
/// </summary>
public static class Program
{
    /// <summary>Runs the benchmarks chosen by the arguments.</summary>
    /// <param name="args">BenchmarkDotNet's command-line arguments, or <c>memory [cases]</c>.</param>
    /// <returns>The exit code.</returns>
    public static async Task<int> Main(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        if (args.Length > 0 && args[0] == "memory")
        {
            return await MemoryRun.RunAsync(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
