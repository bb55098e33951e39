using System.Text;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Data.Sqlite;

namespace EvalKit.Storage.Sqlite.Tests.Security;

/// <summary>Field encryption on a real SQLite file: what the file holds, rotation across restarts, and tampering with rows.</summary>
public sealed class SqliteFieldEncryptionFileTests : IDisposable
{
    private const string ModelId = "local/echo";
    private readonly SqliteTestDatabase _db = new();
    private readonly string _marker = "Atlantis" + Guid.NewGuid().ToString("N");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task Evaluate_OnAnEncryptedStore_LeavesNoPromptReferenceOrAnswerInTheFileOrItsWal()
    {
        var run = await EvaluateAsync(new EncryptionKeyRing(FieldEncryptionStorageTests.Key1), "enc");

        // While the store is open (its WAL holds the latest pages) and after it is closed.
        run.Results.Should().HaveCount(4).And.OnlyContain(r => r.Output!.StartsWith($"Answer {_marker}", StringComparison.Ordinal));
        run.FilesWhileOpen.Should().NotBeEmpty();
        foreach (var (file, bytes) in run.FilesWhileOpen.Concat(DatabaseFiles()))
        {
            Occurrences(bytes, _marker).Should().Be(0, $"{Path.GetFileName(file)} must hold only ciphertext");
        }

        Count("SELECT COUNT(*) FROM evaluation_results WHERE output LIKE 'ek1:k1:%'").Should().Be(4);
        Count("SELECT COUNT(*) FROM response_cache WHERE text LIKE 'ek1:k1:%'").Should().Be(4);
    }

    [Fact]
    public async Task Evaluate_OnAPlainStore_LeavesThePlaintextInTheFile()
    {
        // The control of the test above: the scan does find plaintext when it is there.
        var run = await EvaluateAsync(keys: null, "plain");

        run.FilesWhileOpen.Concat(DatabaseFiles()).Sum(f => Occurrences(f.Bytes, _marker)).Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task Rotation_AcrossRestarts_ReadsOldRowsAndWritesNewOnesWithTheNewKey()
    {
        var first = await EvaluateAsync(new EncryptionKeyRing(FieldEncryptionStorageTests.Key1), "before");
        var second = await EvaluateAsync(new EncryptionKeyRing(FieldEncryptionStorageTests.Key2, [FieldEncryptionStorageTests.Key1]), "after", datasetExists: true);

        Count($"SELECT COUNT(*) FROM evaluation_results WHERE run_id = '{first.RunId}' AND output LIKE 'ek1:k1:%'").Should().Be(4);
        Count($"SELECT COUNT(*) FROM evaluation_results WHERE run_id = '{second.RunId}' AND output LIKE 'ek1:k2:%'").Should().Be(4);
        await using (var kit = Open(new EncryptionKeyRing(FieldEncryptionStorageTests.Key2, [FieldEncryptionStorageTests.Key1])))
        {
            (await kit.Engine.GetResultsAsync(first.RunId, Ct)).Results.Select(r => r.Output).Should().Equal(first.Results.Select(r => r.Output));
        }

        await using (var kit = Open(new EncryptionKeyRing(FieldEncryptionStorageTests.Key2)))
        {
            var read = async () => await kit.Engine.GetResultsAsync(first.RunId, Ct);
            var error = (await read.Should().ThrowAsync<FieldEncryptionException>()).Which;
            error.KeyId.Should().Be("k1");
            error.Message.Should().Contain($"run '{first.RunId}'").And.Contain("key 'k1'");
            (await kit.Engine.GetResultsAsync(second.RunId, Ct)).Results.Should().HaveCount(4);
        }
    }

    [Fact]
    public async Task ARowChangedInTheDatabase_FailsToDecrypt_NamingTheRecordAndField()
    {
        var keys = new EncryptionKeyRing(FieldEncryptionStorageTests.Key1);
        var run = await EvaluateAsync(keys, "tamper");
        using (var connection = new SqliteConnection(_db.ConnectionString))
        {
            connection.Open();
            using var update = connection.CreateCommand();
            // Flip one character inside the ciphertext of case 2's answer.
            update.CommandText = """
                UPDATE evaluation_results
                SET output = substr(output, 1, 20) || (CASE substr(output, 21, 1) WHEN 'A' THEN 'B' ELSE 'A' END) || substr(output, 22)
                WHERE run_id = $run AND case_ordinal = 2
                """;
            update.Parameters.AddWithValue("$run", run.RunId);
            update.ExecuteNonQuery().Should().Be(1);
        }

        await using var kit = Open(keys);
        var read = async () => await kit.Engine.GetResultsAsync(run.RunId, Ct);

        var error = (await read.Should().ThrowAsync<FieldEncryptionException>()).Which;
        error.Record.Should().Be($"result (run '{run.RunId}', case ordinal 2, repetition 0)");
        error.Field.Should().Be("output");
        error.Message.Should().Contain("failed authentication");
    }

    [Fact]
    public async Task ACaseChangedInTheDatabase_FailsToDecrypt_NamingTheCase()
    {
        var keys = new EncryptionKeyRing(FieldEncryptionStorageTests.Key1);
        await using (var kit = Open(keys))
        {
            await kit.Datasets.ImportAsync(new Dataset("tampered", "1", [new EvalCase { Id = "c0", Input = $"Question {_marker}" }, new EvalCase { Id = "c1", Input = $"Other {_marker}" }]), Ct);
        }

        using (var connection = new SqliteConnection(_db.ConnectionString))
        {
            connection.Open();
            using var swap = connection.CreateCommand();
            // Copy case c0's encrypted input into case c1: valid ciphertext, wrong record.
            swap.CommandText = """
                UPDATE evaluation_cases SET data = json_set(data, '$.input.text', (SELECT json_extract(data, '$.input.text') FROM evaluation_cases WHERE case_id = 'c0'))
                WHERE case_id = 'c1'
                """;
            swap.ExecuteNonQuery().Should().Be(1);
        }

        await using (var kit = Open(keys))
        {
            var read = async () => await kit.Datasets.ReadCasesAsync("tampered@1", Ct).ToListAsync(Ct);
            (await read.Should().ThrowAsync<FieldEncryptionException>()).Which.Message.Should()
                .Contain("case 'c1' (ordinal 1) of dataset 'tampered@1'").And.Contain("input.text");
        }
    }

    private EvalKitHost Open(EncryptionKeyRing? keys, IModelClientProvider? clients = null)
    {
        IEvalKitStorage storage = _db.Open();
        if (keys is not null)
        {
            storage = new EncryptingEvalKitStorage(storage, keys);
        }

        return EvalKitHost.Create(storage: storage, clients: clients);
    }

    private async Task<RunOutcome> EvaluateAsync(EncryptionKeyRing? keys, string label, bool datasetExists = false)
    {
        var client = FakeChatClient.Answering(q => $"Answer {_marker} to {q} ({label})");
        await using var kit = Open(keys, new ModelClientMap().Add(ModelId, client));
        if (!datasetExists)
        {
            await kit.Registry.RegisterAsync(new ModelDescriptor { Id = ModelId }, Ct);
        }

        var cases = Enumerable.Range(0, 4).Select(i => new EvalCase
        {
            Id = $"c{i}",
            Input = i % 2 == 0 ? CaseInput.FromText($"Question {_marker} {i}") : CaseInput.FromMessages([new ChatTurn("system", $"System {_marker}"), new ChatTurn("user", $"Question {_marker} {i}")]),
            References = [$"Reference {_marker} {i}"],
        });
        var dataset = await kit.Datasets.ImportAsync(new Dataset("secret", "1", cases), Ct);
        var run = await kit.Engine.EvaluateAsync(
            new EvaluationRequest { ModelId = ModelId, DatasetId = dataset.Id, Options = new EvaluationOptions { UseResponseCache = true, Repetitions = 1 } },
            cancellationToken: Ct);
        run.Status.Should().Be(RunStatus.Completed);
        var results = (await kit.Engine.GetResultsAsync(run.Id, Ct)).Results;
        results.Select(r => r.CaseId).Should().Equal("c0", "c1", "c2", "c3");
        return new RunOutcome(run.Id, results, DatabaseFiles());
    }

    private List<(string File, byte[] Bytes)> DatabaseFiles() =>
        [.. new[] { _db.Path, _db.Path + "-wal", _db.Path + "-shm", _db.Path + "-journal" }.Where(File.Exists).Select(f => (f, ReadShared(f)))];

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static int Occurrences(byte[] bytes, string text)
    {
        var count = 0;
        foreach (var needle in new[] { Encoding.UTF8.GetBytes(text), Encoding.Unicode.GetBytes(text) })
        {
            var span = bytes.AsSpan();
            for (var at = span.IndexOf(needle); at >= 0; at = span.IndexOf(needle))
            {
                count++;
                span = span[(at + needle.Length)..];
            }
        }

        return count;
    }

    private long Count(string sql)
    {
        using var connection = new SqliteConnection(_db.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private sealed record RunOutcome(string RunId, IReadOnlyList<CaseResult> Results, List<(string File, byte[] Bytes)> FilesWhileOpen);
}
