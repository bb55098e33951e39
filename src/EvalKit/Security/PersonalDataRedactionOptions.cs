using Microsoft.Extensions.Compliance.Redaction;

namespace EvalKit.Security;

/// <summary>Options of <see cref="RedactingEvalKitStorage"/>.</summary>
public sealed class PersonalDataRedactionOptions
{
    /// <summary>Gets or sets the kinds of personal data to redact.</summary>
    /// <value>The default value is <see cref="PersonalDataKinds.All"/>.</value>
    public PersonalDataKinds Kinds { get; set; } = PersonalDataKinds.All;

    /// <summary>Gets or sets the fields to redact before they are stored.</summary>
    /// <value>The default value is <see cref="ContentFields.All"/>: inputs, references and answers.</value>
    public ContentFields Fields { get; set; } = ContentFields.All;

    /// <summary>
    /// Gets or sets what replaces each span, per <see cref="EvalKitDataClassifications"/> entry. With dependency injection,
    /// an <see cref="IRedactorProvider"/> registered in the container (<c>services.AddRedaction(...)</c>) is used when this
    /// is <see langword="null"/>.
    /// </summary>
    /// <value>The default value is <see langword="null"/>: placeholders such as <c>[email]</c>.</value>
    public IRedactorProvider? RedactorProvider { get; set; }
}
