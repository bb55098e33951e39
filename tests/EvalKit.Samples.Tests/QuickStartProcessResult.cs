namespace EvalKit.Samples.Tests;

/// <summary>What the quick-start program printed and returned when started as a process of its own.</summary>
/// <param name="ExitCode">The exit code.</param>
/// <param name="StandardOutput">Everything written to standard output (redirected: not a terminal).</param>
/// <param name="StandardError">Everything written to standard error.</param>
internal sealed record QuickStartProcessResult(int ExitCode, string StandardOutput, string StandardError);
