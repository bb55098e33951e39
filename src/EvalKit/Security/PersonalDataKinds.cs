namespace EvalKit.Security;

/// <summary>The kinds of personal data that <see cref="PersonalDataDetector"/> finds.</summary>
[Flags]
public enum PersonalDataKinds
{
    /// <summary>None.</summary>
    None = 0,

    /// <summary>E-mail addresses, such as <c>ada@example.com</c>.</summary>
    EmailAddress = 1,

    /// <summary>Phone numbers: international (<c>+44 20 7946 0958</c>, <c>+14155552671</c>) or national with separators (<c>(555) 123-4567</c>, <c>06 12 34 56 78</c>).</summary>
    PhoneNumber = 2,

    /// <summary>Payment card numbers: 13 to 19 digits (spaces or dashes between them allowed), starting with 2-6, that pass the Luhn check.</summary>
    PaymentCardNumber = 4,

    /// <summary>Every kind.</summary>
    All = EmailAddress | PhoneNumber | PaymentCardNumber,
}
