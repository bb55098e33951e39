using EvalKit.Security;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;

namespace EvalKit.Tests.Security;

public sealed class PersonalDataRedactorTests
{
    [Fact]
    public void Redact_ReplacesEachKindWithItsPlaceholder()
    {
        var redactor = new PersonalDataRedactor();

        redactor.Redact("Mail ada@example.com, call +44 20 7946 0958, pay with 4111 1111 1111 1111.")
            .Should().Be("Mail [email], call [phone], pay with [card].");
    }

    [Fact]
    public void Redact_TextWithoutPersonalData_IsReturnedAsItIs()
    {
        const string text = "Order 1234567890 of 2024-05-01: 4111 1111 1111 1112 is not a card.";

        new PersonalDataRedactor().Redact(text).Should().BeSameAs(text);
    }

    [Fact]
    public void Redact_OnlyTheChosenKinds() =>
        new PersonalDataRedactor(PersonalDataKinds.EmailAddress).Redact("ada@example.com +44 20 7946 0958").Should().Be("[email] +44 20 7946 0958");

    [Fact]
    public void Redact_WithTheHostsRedactors_UsesTheRedactorOfEachClassification()
    {
        var services = new ServiceCollection();
        services.AddRedaction(b =>
        {
            b.SetRedactor<ErasingRedactor>(new DataClassificationSet(EvalKitDataClassifications.PaymentCardNumber));
            b.SetFallbackRedactor<StarRedactor>();
        });
        using var provider = services.BuildServiceProvider();
        var redactor = new PersonalDataRedactor(redactorProvider: provider.GetRequiredService<IRedactorProvider>());

        redactor.Redact("ada@example.com pays with 4111 1111 1111 1111").Should().Be("*************** pays with ");
    }

    /// <summary>A host's redactor: one star per character.</summary>
    private sealed class StarRedactor : Redactor
    {
        public override int GetRedactedLength(ReadOnlySpan<char> input) => input.Length;

        public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
        {
            destination[..source.Length].Fill('*');
            return source.Length;
        }
    }
}
