using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Registry;
using EvalKit.Security;
using EvalKit.Storage;
using EvalKit.Storage.Specification.Tests;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Tests.Security;

/// <summary>UseFieldEncryption and UsePersonalDataRedaction wrap whichever store is configured, in a fixed order, once.</summary>
public sealed class StorageProtectionDependencyInjectionTests
{
    private static readonly EncryptionKeyRing Keys = new(FieldEncryptionStorageTests.Key1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AddEvalKit_WithoutProtection_StoresAsItIs()
    {
        var services = new ServiceCollection();
        services.AddEvalKit();

        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<InMemoryEvalKitStorage>("encryption and redaction are off by default");
    }

    [Fact]
    public async Task UseFieldEncryption_BeforeUseStorage_StillWrapsTheStoreConfiguredLater()
    {
        var chosen = new InMemoryEvalKitStorage();
        var services = new ServiceCollection();
        services.AddEvalKit().UseFieldEncryption(Keys).UseStorage(_ => chosen);

        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<EncryptingEvalKitStorage>().Which.Inner.Should().BeSameAs(chosen);
    }

    [Fact]
    public async Task UseFieldEncryption_AfterUseStorage_WrapsThatStore()
    {
        var chosen = new InMemoryEvalKitStorage();
        var services = new ServiceCollection();
        services.AddEvalKit().UseStorage(_ => chosen).UseFieldEncryption(_ => Keys, o => o.Fields = ContentFields.Outputs);

        await using var provider = services.BuildServiceProvider();

        var storage = provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<EncryptingEvalKitStorage>().Which;
        storage.Inner.Should().BeSameAs(chosen);
        storage.Fields.Should().Be(ContentFields.Outputs);
    }

    [Fact]
    public async Task UseFieldEncryption_Twice_EncryptsOnceWithTheLastKeys()
    {
        var second = new EncryptionKeyRing(FieldEncryptionStorageTests.Key2);
        var services = new ServiceCollection();
        services.AddEvalKit().UseFieldEncryption(Keys).UseFieldEncryption(second);

        await using var provider = services.BuildServiceProvider();

        var storage = provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<EncryptingEvalKitStorage>().Which;
        storage.KeyProvider.Should().BeSameAs(second);
        storage.Inner.Should().BeOfType<InMemoryEvalKitStorage>();
    }

    [Fact]
    public async Task RedactionAndEncryption_InEitherOrder_RedactOutsideEncryption()
    {
        foreach (var redactFirst in new[] { true, false })
        {
            var services = new ServiceCollection();
            var builder = services.AddEvalKit();
            if (redactFirst)
            {
                builder.UsePersonalDataRedaction().UseFieldEncryption(Keys);
            }
            else
            {
                builder.UseFieldEncryption(Keys).UsePersonalDataRedaction();
            }

            await using var provider = services.BuildServiceProvider();

            var redacting = provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<RedactingEvalKitStorage>().Which;
            redacting.Inner.Should().BeOfType<EncryptingEvalKitStorage>().Which.Inner.Should().BeOfType<InMemoryEvalKitStorage>();
        }
    }

    [Fact]
    public void EncryptingStorage_OverRedactingStorage_IsRefused()
    {
        var create = () => new EncryptingEvalKitStorage(new RedactingEvalKitStorage(new InMemoryEvalKitStorage()), Keys);

        create.Should().Throw<ArgumentException>().WithMessage("*redactor would see ciphertext*");
    }

    [Fact]
    public async Task UsePersonalDataRedaction_UsesTheContainersRedactorProvider()
    {
        var services = new ServiceCollection();
        services.AddRedaction(b => b.SetRedactor<ErasingRedactor>(new DataClassificationSet(EvalKitDataClassifications.EmailAddress)));
        services.AddEvalKit().UsePersonalDataRedaction(o => o.Kinds = PersonalDataKinds.EmailAddress);

        await using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IEvalKitStorage>().Should().BeOfType<RedactingEvalKitStorage>()
            .Which.Redactor.Redact("to ada@example.com, +44 20 7946 0958").Should().Be("to , +44 20 7946 0958");
    }

    [Fact]
    public async Task Evaluate_WithRedaction_ModelSeesAndStoreHoldsRedactedText()
    {
        var (prompts, stored) = await EvaluateAsync(b => b.UsePersonalDataRedaction());

        prompts.Should().ContainSingle().Which.Should().Be("Contact [email] is [email], card [card]");
        stored.Case.Input.Text.Should().Be("Contact [email] is [email], card [card]");
        stored.Case.References.Should().Equal("Call [phone]");
        stored.Result.Output.Should().Be("echo: Contact [email] is [email], card [card] / call [phone]");
    }

    [Fact]
    public async Task Evaluate_WithoutRedaction_StoresPersonalDataAsGiven()
    {
        var (prompts, stored) = await EvaluateAsync(_ => { });

        prompts.Should().ContainSingle().Which.Should().Contain("ada@example.com");
        stored.Result.Output.Should().Contain("ada@example.com").And.Contain("+44 20 7946 0958");
    }

    private static async Task<(List<string> Prompts, (EvalCase Case, CaseResult Result) Stored)> EvaluateAsync(Action<IEvalKitBuilder> protect)
    {
        var raw = new InMemoryEvalKitStorage();
        var prompts = new List<string>();
        var services = new ServiceCollection();
        var builder = services.AddEvalKit().UseStorage(_ => raw);
        protect(builder);
        services.AddKeyedChatClient("local/echo", FakeChatClient.Answering(q =>
        {
            lock (prompts)
            {
                prompts.Add(q);
            }

            return $"echo: {q} / call +44 20 7946 0958";
        }));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<IModelRegistry>().RegisterAsync(new ModelDescriptor { Id = "local/echo" }, Ct);
        var dataset = await provider.GetRequiredService<IDatasetStore>().ImportAsync(
            new Dataset("pii", "1", [new EvalCase { Id = "c0", Input = "Contact ada@example.com is bob@example.org, card 4111 1111 1111 1111", References = ["Call +1 (555) 123-4567"] }]), Ct);
        var run = await provider.GetRequiredService<IEvaluationEngine>().EvaluateAsync(new EvaluationRequest { ModelId = "local/echo", DatasetId = dataset.Id }, cancellationToken: Ct);

        run.Status.Should().Be(RunStatus.Completed);
        EvalCase? storedCase = null;
        await foreach (var item in raw.Datasets.ReadCasesAsync(dataset.Id, 0, Ct))
        {
            storedCase = item.Case;
        }

        CaseResult? storedResult = null;
        await foreach (var result in raw.Results.ReadAsync(run.Id, Ct))
        {
            storedResult = result;
        }

        return (prompts, (storedCase!, storedResult!));
    }
}
