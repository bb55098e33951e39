using System.Text;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;

namespace EvalKit.Security;

/// <summary>
/// Redacts personal data in text: <see cref="PersonalDataDetector"/> decides which spans are personal data, and a
/// <see cref="Redactor"/> from Microsoft.Extensions.Compliance (one per <see cref="EvalKitDataClassifications"/> entry)
/// decides what replaces each span.
/// </summary>
/// <example>
/// <code>
/// var redactor = new PersonalDataRedactor();
/// redactor.Redact("Mail ada@example.com or call +44 20 7946 0958");   // "Mail [email] or call [phone]"
/// </code>
/// </example>
public sealed class PersonalDataRedactor
{
    private readonly Redactor _email;
    private readonly Redactor _phone;
    private readonly Redactor _card;

    /// <summary>Initializes a new instance of the <see cref="PersonalDataRedactor"/> class.</summary>
    /// <param name="kinds">The kinds of personal data to redact.</param>
    /// <param name="redactorProvider">
    /// Gives the redactor of each classification (such as the one <c>services.AddRedaction(...)</c> registers); when
    /// <see langword="null"/>, each span becomes a placeholder: <c>[email]</c>, <c>[phone]</c> or <c>[card]</c>.
    /// </param>
    public PersonalDataRedactor(PersonalDataKinds kinds = PersonalDataKinds.All, IRedactorProvider? redactorProvider = null)
    {
        Kinds = kinds;
        var provider = redactorProvider ?? PlaceholderRedactor.Provider;
        _email = Get(provider, EvalKitDataClassifications.EmailAddress);
        _phone = Get(provider, EvalKitDataClassifications.PhoneNumber);
        _card = Get(provider, EvalKitDataClassifications.PaymentCardNumber);
    }

    /// <summary>Gets the kinds of personal data redacted.</summary>
    public PersonalDataKinds Kinds { get; }

    /// <summary>Redacts the personal data in a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text with every detected span replaced; the same instance when nothing was found.</returns>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = PersonalDataDetector.Detect(text, Kinds);
        if (matches.Count == 0)
        {
            return text;
        }

        var builder = new StringBuilder(text.Length);
        var copied = 0;
        foreach (var match in matches)
        {
            builder.Append(text, copied, match.Start - copied);
            var redactor = match.Kind switch
            {
                PersonalDataKinds.EmailAddress => _email,
                PersonalDataKinds.PhoneNumber => _phone,
                _ => _card,
            };
            builder.Append(redactor.Redact(text.AsSpan(match.Start, match.Length)));
            copied = match.End;
        }

        return builder.Append(text, copied, text.Length - copied).ToString();
    }

    private static Redactor Get(IRedactorProvider provider, DataClassification classification) =>
        provider.GetRedactor(new DataClassificationSet(classification))
        ?? throw new InvalidOperationException($"The redactor provider {provider.GetType().Name} returned no redactor for {classification}.");
}
