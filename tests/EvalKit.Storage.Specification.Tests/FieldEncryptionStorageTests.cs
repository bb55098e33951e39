using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Scoring;
using EvalKit.Security;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>
/// Field encryption over a provider: <see cref="EncryptingEvalKitStorage"/> wraps the provider's store, and the raw store
/// shows what the provider really holds.
/// </summary>
public abstract class FieldEncryptionStorageTests : StorageTestBase
{
    public static readonly EncryptionKey Key1 = TestKey("k1", 1);
    public static readonly EncryptionKey Key2 = TestKey("k2", 101);

    public static EncryptionKey TestKey(string id, int seed) => new(id, Enumerable.Range(0, 32).Select(i => (byte)(seed + (7 * i))).ToArray());

    public static EvalCase SecretCase(int i) => new()
    {
        Id = $"case-{i}",
        Input = i % 2 == 0
            ? CaseInput.FromText($"Prompt {i}: what is the capital of Atlantis?")
            : CaseInput.FromMessages([new ChatTurn("system", $"System turn {i}"), new ChatTurn("user", $"User turn {i}: où est Atlantis?")]),
        References = [$"Reference {i}: Poseidonia", $"Alternative {i}"],
        Group = $"g{i % 2}",
        Metadata = new Dictionary<string, string> { ["topic"] = "geography" },
    };

    private static CaseResult SecretResult(string runId, long ordinal) => TestData.Result(runId, ordinal) with
    {
        Output = $"Answer {ordinal}: the capital is Poseidonia",
        Scores = [Score.FromPass("exact_match", true), new Score { Name = "judge", Value = 0.5, Label = "ok", Explanation = $"Explanation {ordinal} quotes Poseidonia" }],
    };

    private EncryptingEvalKitStorage Encrypted(IEncryptionKeyProvider keys, FieldEncryptionOptions? options = null) => new(Storage, keys, options, ownsInner: false);

    [Fact]
    public virtual async Task Cases_RoundTripThroughEncryption_AndTheProviderHoldsOnlyEnvelopes()
    {
        var encrypted = Encrypted(new EncryptionKeyRing(Key1));
        var cases = Enumerable.Range(0, 4).Select(SecretCase).ToList();

        var info = await encrypted.Datasets.CreateAsync(TestData.Import("secret", cases), Ct);

        (await ToListAsync(encrypted.Datasets.ReadCasesAsync(info.Id, 0, Ct))).Select(c => c.Case).Should().Equal(cases);
        (await ToListAsync(encrypted.Datasets.ReadCasesAsync(info.Id, 2, Ct))).Select(c => c.Ordinal).Should().Equal(2L, 3L);
        var raw = (await ToListAsync(Storage.Datasets.ReadCasesAsync(info.Id, 0, Ct))).Select(c => c.Case).ToList();
        raw.Select(c => c.Id).Should().Equal(cases.Select(c => c.Id), "ids stay in clear for lookups and duplicate checks");
        raw.Select(c => c.Group).Should().Equal(cases.Select(c => c.Group));
        raw.Should().AllSatisfy(c => c.Metadata["topic"].Should().Be("geography"));
        raw[0].Input.Text.Should().StartWith("ek1:k1:").And.NotContain("Atlantis");
        raw[1].Input.Messages!.Select(m => m.Role).Should().Equal("system", "user");
        raw[1].Input.Messages!.Should().AllSatisfy(m => m.Text.Should().StartWith("ek1:k1:"));
        raw.SelectMany(c => c.References).Should().AllSatisfy(r => r.Should().StartWith("ek1:k1:").And.NotContain("Poseidonia"));

        // The header keeps the hash of the plaintext: the same content hashes the same, encrypted or not.
        var plain = TestData.Import("secret", cases);
        await foreach (var unused in plain.ReadAsync(Ct))
        {
        }

        info.ContentHash.Should().Be(plain.Complete().ContentHash);
        (await Storage.Datasets.GetAsync(info.Id, Ct))!.ContentHash.Should().Be(info.ContentHash);
    }

    [Fact]
    public virtual async Task Encrypting_SameTextTwice_StoresDifferentCiphertexts()
    {
        var encrypted = Encrypted(new EncryptionKeyRing(Key1));

        await encrypted.Results.AppendAsync([SecretResult("r", 0) with { Output = "same" }, SecretResult("r", 1) with { Output = "same" }], Ct);

        var raw = await ToListAsync(Storage.Results.ReadAsync("r", Ct));
        raw[0].Output.Should().NotBe(raw[1].Output, "each value has a fresh nonce, so equal texts cannot be matched in the database");
        (await ToListAsync(encrypted.Results.ReadAsync("r", Ct))).Select(r => r.Output).Should().Equal("same", "same");
    }

    [Fact]
    public virtual async Task Results_RoundTripThroughEncryption_AndKeysCountsAndScoresStayInClear()
    {
        var encrypted = Encrypted(new EncryptionKeyRing(Key1));
        var results = new[] { SecretResult("r", 0), SecretResult("r", 1), TestData.Result("r", 2, failed: true) };

        (await encrypted.Results.AppendAsync(results, Ct)).Should().Be(3);

        (await ToListAsync(encrypted.Results.ReadAsync("r", Ct))).Should().BeEquivalentTo(results);
        var raw = await ToListAsync(Storage.Results.ReadAsync("r", Ct));
        raw[0].Output.Should().StartWith("ek1:k1:").And.NotContain("Poseidonia");
        raw[0].Scores[1].Explanation.Should().StartWith("ek1:k1:");
        raw[0].Scores.Select(s => (s.Name, s.Value, s.Label)).Should().Equal(results[0].Scores.Select(s => (s.Name, s.Value, s.Label)));
        raw[2].Output.Should().BeNull();
        raw[2].Error!.Message.Should().Be("429: slow down");
        (await encrypted.Results.CountAsync("r", Ct)).Should().Be(new ResultCounts(3, 1));
        (await ToListAsync(encrypted.Results.ReadKeysAsync("r", Ct))).Should().HaveCount(3);
    }

    [Fact]
    public virtual async Task ResponseCache_ExactLookupByKey_StillWorks()
    {
        var encrypted = Encrypted(new EncryptionKeyRing(Key1));
        var response = new CachedResponse { Key = "hash-1", ModelId = "local/test", Text = "Cached answer about Poseidonia", InputTokens = 3, OutputTokens = 4, CreatedAt = TestData.Epoch };

        await encrypted.ResponseCache.AddAsync([response], Ct);

        (await encrypted.ResponseCache.GetAsync("hash-1", Ct)).Should().Be(response);
        (await encrypted.ResponseCache.GetAsync("hash-2", Ct)).Should().BeNull();
        (await Storage.ResponseCache.GetAsync("hash-1", Ct))!.Text.Should().StartWith("ek1:k1:").And.NotContain("Poseidonia");
    }

    [Fact]
    public virtual async Task Rotation_OldRowsStillRead_NewRowsUseTheNewKey()
    {
        var cases = Enumerable.Range(0, 2).Select(SecretCase).ToList();
        var before = Encrypted(new EncryptionKeyRing(Key1));
        var info = await before.Datasets.CreateAsync(TestData.Import("rotated", cases), Ct);
        await before.Results.AppendAsync([SecretResult("r", 0)], Ct);

        var after = Encrypted(new EncryptionKeyRing(Key2, [Key1]));
        await after.Results.AppendAsync([SecretResult("r", 1)], Ct);

        (await ToListAsync(after.Datasets.ReadCasesAsync(info.Id, 0, Ct))).Select(c => c.Case).Should().Equal(cases);
        (await ToListAsync(after.Results.ReadAsync("r", Ct))).Should().BeEquivalentTo([SecretResult("r", 0), SecretResult("r", 1)]);
        var raw = await ToListAsync(Storage.Results.ReadAsync("r", Ct));
        raw[0].Output.Should().StartWith("ek1:k1:");
        raw[1].Output.Should().StartWith("ek1:k2:");
    }

    [Fact]
    public virtual async Task Reading_WithTheKeyRetired_FailsNamingTheKeyAndTheRecord()
    {
        await Encrypted(new EncryptionKeyRing(Key1)).Results.AppendAsync([SecretResult("r", 4)], Ct);
        var withoutKey1 = Encrypted(new EncryptionKeyRing(Key2));

        var read = () => ToListAsync(withoutKey1.Results.ReadAsync("r", Ct));

        var error = (await read.Should().ThrowAsync<FieldEncryptionException>()).Which;
        error.KeyId.Should().Be("k1");
        error.Record.Should().Be("result (run 'r', case ordinal 4, repetition 0)");
        error.Field.Should().Be("output");
        error.Message.Should().Contain("key 'k1'").And.Contain("does not know").And.Contain("case ordinal 4");
    }

    [Fact]
    public virtual async Task TamperedCiphertext_FailsAuthentication_NamingTheRecord()
    {
        var keys = new EncryptionKeyRing(Key1);
        await Encrypted(keys).Results.AppendAsync([SecretResult("r", 0)], Ct);
        var envelope = (await ToListAsync(Storage.Results.ReadAsync("r", Ct)))[0].Output!;
        var flipped = envelope[..^4] + (envelope[^4] == 'A' ? 'B' : 'A') + envelope[^3..];
        await Storage.Results.AppendAsync([SecretResult("r", 1) with { Output = flipped }], Ct);

        var read = () => ToListAsync(Encrypted(keys).Results.ReadAsync("r", Ct));

        var error = (await read.Should().ThrowAsync<FieldEncryptionException>()).Which;
        error.Record.Should().Be("result (run 'r', case ordinal 1, repetition 0)");
        error.Message.Should().Contain("failed authentication").And.Contain("case ordinal 1");
    }

    [Fact]
    public virtual async Task CiphertextCopiedToAnotherRecord_FailsAuthentication()
    {
        var keys = new EncryptionKeyRing(Key1);
        await Encrypted(keys).Results.AppendAsync([SecretResult("r", 0)], Ct);
        var envelope = (await ToListAsync(Storage.Results.ReadAsync("r", Ct)))[0].Output!;
        // A valid ciphertext, moved by someone with write access to the database: it is bound to result 0, not result 5.
        await Storage.Results.AppendAsync([SecretResult("r", 5) with { Output = envelope }], Ct);

        var read = () => ToListAsync(Encrypted(keys).Results.ReadAsync("r", Ct));

        (await read.Should().ThrowAsync<FieldEncryptionException>()).Which.Record.Should().Contain("case ordinal 5");
    }

    [Fact]
    public virtual async Task PlaintextRows_AreReadAsTheyAre_UnlessPlaintextIsDisallowed()
    {
        await Storage.Results.AppendAsync([SecretResult("r", 0)], Ct);

        (await ToListAsync(Encrypted(new EncryptionKeyRing(Key1)).Results.ReadAsync("r", Ct)))[0].Output.Should().Be(SecretResult("r", 0).Output);
        var strict = Encrypted(new EncryptionKeyRing(Key1), new FieldEncryptionOptions { AllowPlaintext = false });
        var read = () => ToListAsync(strict.Results.ReadAsync("r", Ct));
        (await read.Should().ThrowAsync<FieldEncryptionException>()).Which.Message.Should().Contain("unencrypted").And.Contain("case ordinal 0");
    }

    [Fact]
    public virtual async Task OnlyTheChosenFields_AreEncrypted()
    {
        var outputsOnly = Encrypted(new EncryptionKeyRing(Key1), new FieldEncryptionOptions { Fields = ContentFields.Outputs });
        var info = await outputsOnly.Datasets.CreateAsync(TestData.Import("partial", [SecretCase(0)]), Ct);
        await outputsOnly.Results.AppendAsync([SecretResult("r", 0)], Ct);

        (await ToListAsync(Storage.Datasets.ReadCasesAsync(info.Id, 0, Ct)))[0].Case.Should().Be(SecretCase(0));
        (await ToListAsync(Storage.Results.ReadAsync("r", Ct)))[0].Output.Should().StartWith("ek1:k1:");
    }

    [Fact]
    public virtual async Task RedactionOutsideEncryption_StoresRedactedCiphertext()
    {
        var keys = new EncryptionKeyRing(Key1);
        await using var redacted = new RedactingEvalKitStorage(Encrypted(keys), ownsInner: false);

        await redacted.Results.AppendAsync([SecretResult("r", 0) with { Output = "Write to ada@example.com or call +44 20 7946 0958" }], Ct);

        (await ToListAsync(redacted.Results.ReadAsync("r", Ct)))[0].Output.Should().Be("Write to [email] or call [phone]");
        (await ToListAsync(Storage.Results.ReadAsync("r", Ct)))[0].Output.Should().StartWith("ek1:k1:");
    }
}
