using System.Diagnostics;
using EvalKit.Storage.Specification.Tests;

namespace EvalKit.Storage.Sqlite.Tests;

/// <summary>
/// The SQLite file turns read-only mid-run. Permissions do not stop a process that already holds the file open (nor
/// root), so the test sets the immutable attribute (<c>chattr +i</c>) on the database file and its write-ahead log, which fails
/// writes through handles already open. That needs root (or CAP_LINUX_IMMUTABLE) on a file system that supports it:
/// elsewhere the test skips, except under CI where it must run.
/// </summary>
public sealed class SqliteOutageTests : StorageOutageScenario, IDisposable
{
    private readonly SqliteTestDatabase _db = new();
    private bool _immutable;

    protected override IEvalKitStorage OpenStorage() => _db.Open();

    protected override async Task BreakAsync()
    {
        foreach (var file in Files())
        {
            var (code, error) = await ChattrAsync("+i", file);
            if (code != 0)
            {
                var reason = $"'chattr +i {Path.GetFileName(file)}' failed ({error.Trim()}): making an open SQLite file read-only needs root and a file system with the immutable attribute.";
                if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                {
                    Assert.Fail(reason + " Under CI this test must run.");
                }

                Assert.Skip(reason);
            }

            _immutable = true;
        }
    }

    protected override async Task MendAsync()
    {
        if (_immutable)
        {
            foreach (var file in Files())
            {
                await ChattrAsync("-i", file);
            }

            _immutable = false;
        }

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    public void Dispose()
    {
        if (_immutable)
        {
            MendAsync().GetAwaiter().GetResult();
        }

        _db.Dispose();
    }

    private IEnumerable<string> Files() => new[] { _db.Path, _db.Path + "-wal" }.Where(File.Exists);

    // Not the -shm index: SQLite maps it into memory, and a write fault on a mapped immutable file is a SIGBUS that kills
    // the process, not an I/O error; a real read-only mount would have the same effect, which is why WAL databases are
    // opened read-only with their -shm writable or not at all.

    private static async Task<(int Code, string Error)> ChattrAsync(string flag, string file)
    {
        var start = new ProcessStartInfo("chattr") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(flag);
        start.ArgumentList.Add(file);
        try
        {
            using var process = Process.Start(start)!;
            var error = await process.StandardError.ReadToEndAsync(CancellationToken.None);
            await process.WaitForExitAsync(CancellationToken.None);
            return (process.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }
}
