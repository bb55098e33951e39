using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EvalKit.Evaluation;
using EvalKit.Serialization;

namespace EvalKit.Storage.Tests.Workers;

/// <summary>What a worker that ran to its end printed.</summary>
internal sealed record WorkerOutput(long Evaluated, EvaluationSummary? Summary);

/// <summary>
/// A worker process (EvalKit.Storage.Sqlite.Tests.Worker) whose standard output the test reads line by line; a test can
/// kill it hard. Shared by the SQLite and PostgreSQL test projects (linked into the latter).
/// </summary>
internal sealed class WorkerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly Task<string> _stderr;
    private readonly StringBuilder _stdout = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private WorkerProcess(Process process)
    {
        _process = process;
        _stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
    }

    public static WorkerProcess Start(params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
        };
        start.ArgumentList.Add(WorkerDll());
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return new WorkerProcess(Process.Start(start) ?? throw new InvalidOperationException("The worker process did not start."));
    }

    /// <summary>Runs a worker to its end and reads what it printed; fails unless it exits with 0.</summary>
    public static async Task<WorkerOutput> RunAsync(params string[] args)
    {
        await using var worker = Start(args);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(StepTimeout);
        string output;
        try
        {
            output = await worker._process.StandardOutput.ReadToEndAsync(timeout.Token);
            await worker._process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The worker ({string.Join(' ', args)}) did not finish within {StepTimeout}.");
        }

        var stderr = await worker._stderr;
        worker._process.ExitCode.Should().Be(0, "the worker ({0}) should succeed; it wrote: {1}{2}", string.Join(' ', args), output, stderr);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var evaluated = lines.Where(l => l.StartsWith("evaluated ", StringComparison.Ordinal)).Select(l => long.Parse(l["evaluated ".Length..], CultureInfo.InvariantCulture)).LastOrDefault(-1);
        return new WorkerOutput(evaluated, JsonSerializer.Deserialize(lines[^1], EvalKitJsonContext.Default.EvaluationSummary));
    }

    /// <summary>Runs a worker to its end and returns the lines it printed; fails unless it exits with 0.</summary>
    public static async Task<string[]> RunLinesAsync(params string[] args)
    {
        await using var worker = Start(args);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(StepTimeout);
        var output = await worker._process.StandardOutput.ReadToEndAsync(timeout.Token);
        await worker._process.WaitForExitAsync(timeout.Token);
        worker._process.ExitCode.Should().Be(0, "the worker ({0}) should succeed; it wrote: {1}{2}", string.Join(' ', args), output, await worker._stderr);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Waits until the worker prints <paramref name="expected"/> on a line of its own.</summary>
    public async Task WaitForLineAsync(string expected)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(StepTimeout);
        try
        {
            while (await _process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                _stdout.AppendLine(line);
                if (line == expected)
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (!Ct.IsCancellationRequested)
        {
            throw new TimeoutException($"The worker did not print '{expected}' within {StepTimeout}; it printed: {_stdout}");
        }

        await _process.WaitForExitAsync(Ct);
        throw new InvalidOperationException(
            $"The worker exited with {_process.ExitCode} before printing '{expected}'. Output: {_stdout} Errors: {await _stderr}");
    }

    /// <summary>Kills the worker hard (SIGKILL on Unix) and waits until it is gone.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(Ct);
        _process.ExitCode.Should().NotBe(0, "a killed worker does not exit normally");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync(CancellationToken.None);
        }

        _process.Dispose();
    }

    /// <summary>
    /// Finds the worker's build output: with UseArtifactsOutput this assembly lives in &lt;artifacts&gt;/bin/EvalKit.Storage.Sqlite.Tests/&lt;config&gt;/
    /// and the worker, built through the project reference, in &lt;artifacts&gt;/bin/EvalKit.Storage.Sqlite.Tests.Worker/&lt;config&gt;/.
    /// </summary>
    private static string WorkerDll()
    {
        var own = new DirectoryInfo(Path.TrimEndingDirectorySeparator(AppContext.BaseDirectory));
        var bin = own.Parent?.Parent ?? throw new InvalidOperationException($"Unexpected test output folder '{own.FullName}'.");
        var path = Path.Combine(bin.FullName, "EvalKit.Storage.Sqlite.Tests.Worker", own.Name, "EvalKit.Storage.Sqlite.Tests.Worker.dll");
        return File.Exists(path)
            ? path
            : throw new FileNotFoundException($"The worker was not found at '{path}'; build EvalKit.Storage.Sqlite.Tests (it references the worker).", path);
    }

    /// <summary>The dotnet host that runs the worker: the one running the tests when known.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        return self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet" ? self : "dotnet";
    }
}
