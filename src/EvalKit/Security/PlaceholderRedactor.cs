using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace EvalKit.Security;

/// <summary>The default redactors: each replaces a span with a fixed placeholder that says what was there, such as <c>[email]</c>.</summary>
internal sealed class PlaceholderRedactor(string placeholder) : Redactor
{
    public static IRedactorProvider Provider { get; } = new PlaceholderRedactorProvider();

    public override int GetRedactedLength(ReadOnlySpan<char> input) => placeholder.Length;

    public override int Redact(ReadOnlySpan<char> source, Span<char> destination)
    {
        placeholder.AsSpan().CopyTo(destination);
        return placeholder.Length;
    }

    private sealed class PlaceholderRedactorProvider : IRedactorProvider
    {
        private readonly Redactor _email = new PlaceholderRedactor("[email]");
        private readonly Redactor _phone = new PlaceholderRedactor("[phone]");
        private readonly Redactor _card = new PlaceholderRedactor("[card]");
        private readonly Redactor _other = new PlaceholderRedactor("[redacted]");

        public Redactor GetRedactor(DataClassificationSet classifications) =>
            classifications.Equals(new DataClassificationSet(EvalKitDataClassifications.EmailAddress)) ? _email
            : classifications.Equals(new DataClassificationSet(EvalKitDataClassifications.PhoneNumber)) ? _phone
            : classifications.Equals(new DataClassificationSet(EvalKitDataClassifications.PaymentCardNumber)) ? _card
            : _other;
    }
}
