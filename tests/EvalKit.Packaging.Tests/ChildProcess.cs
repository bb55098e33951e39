using System.Diagnostics;
using System.Text;

namespace EvalKit.Packaging.Tests;

/// <summary>What a finished child process printed.</summary>
internal sealed record ChildProcessResult(string CommandLine, int ExitCode, string Output)
{
    /// <summary>Throws, naming the command and quoting its output, unless it exited with 0.</summary>
    public ChildProcessResult EnsureSuccess()
    {
        if (ExitCode != 0)
        {
            throw new InvalidOperationException($"'{CommandLine}' exited with {ExitCode}. Its output:{Environment.NewLine}{Output}");
        }

        return this;
    }
}

/// <summary>Runs the dotnet CLI as a child process with a time limit, capturing standard output and error together.</summary>
internal static class ChildProcess
{
    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> in <paramref name="workingDirectory"/>.</summary>
    /// <param name="workingDirectory">The folder it runs in.</param>
    /// <param name="timeout">How long it may take; past that it is killed (with its children) and a <see cref="TimeoutException"/> quotes what it printed.</param>
    /// <param name="environment">Variables to set (a <see langword="null"/> value removes one).</param>
    /// <param name="arguments">The arguments.</param>
    /// <param name="cancellationToken">Kills the process when cancelled.</param>
    public static async Task<ChildProcessResult> RunDotnetAsync(
        string workingDirectory,
        TimeSpan timeout,
        IReadOnlyDictionary<string, string?> environment,
        IReadOnlyList<string> arguments,
        CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The test host runs under `dotnet test`, whose MSBuild settings must not leak into an unrelated build.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        // No build servers or reused nodes: nothing outlives the command or holds its output open.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        foreach (var (name, value) in environment)
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var commandLine = $"dotnet {string.Join(' ', arguments)}";
        var output = new StringBuilder();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"'{commandLine}' did not start.");
        process.StandardInput.Close();
        var readers = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));

        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            await readers.WaitAsync(TimeSpan.FromSeconds(10), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"'{commandLine}' did not finish within {timeout}; it was killed. Its output so far:{Environment.NewLine}{Snapshot(output)}");
        }

        // A grandchild that kept the pipes open would block the readers: give them a moment, then report what arrived.
        await readers.WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        return new ChildProcessResult(commandLine, process.ExitCode, Snapshot(output));
    }

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync(CancellationToken.None) is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>The dotnet host running these tests when known (the same SDK as the build), else <c>dotnet</c> on the PATH.</summary>
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
