using Microsoft.Extensions.Compliance.Classification;

namespace EvalKit.Security;

/// <summary>
/// The data classifications of the personal data EvalKit detects, in the taxonomy <c>"EvalKit"</c>. A host that
/// registers redactors with <c>AddRedaction</c> (Microsoft.Extensions.Compliance.Redaction) can pick one per classification.
/// </summary>
public static class EvalKitDataClassifications
{
    /// <summary>The taxonomy name.</summary>
    public const string TaxonomyName = "EvalKit";

    /// <summary>Gets the classification of e-mail addresses.</summary>
    public static DataClassification EmailAddress { get; } = new(TaxonomyName, nameof(EmailAddress));

    /// <summary>Gets the classification of phone numbers.</summary>
    public static DataClassification PhoneNumber { get; } = new(TaxonomyName, nameof(PhoneNumber));

    /// <summary>Gets the classification of payment card numbers.</summary>
    public static DataClassification PaymentCardNumber { get; } = new(TaxonomyName, nameof(PaymentCardNumber));

    /// <summary>Gets the classification of a kind of personal data.</summary>
    /// <param name="kind">A single kind.</param>
    /// <returns>The classification.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a single kind.</exception>
    public static DataClassification For(PersonalDataKinds kind) => kind switch
    {
        PersonalDataKinds.EmailAddress => EmailAddress,
        PersonalDataKinds.PhoneNumber => PhoneNumber,
        PersonalDataKinds.PaymentCardNumber => PaymentCardNumber,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Name a single kind of personal data."),
    };
}
