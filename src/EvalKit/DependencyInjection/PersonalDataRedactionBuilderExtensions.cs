using EvalKit.Security;
using Microsoft.Extensions.Compliance.Redaction;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds redaction of personal data to EvalKit's store.</summary>
public static class PersonalDataRedactionBuilderExtensions
{
    /// <summary>
    /// Redacts e-mail addresses, phone numbers and payment card numbers in inputs, references and answers before they
    /// are stored (see <see cref="RedactingEvalKitStorage"/>), over whichever store is configured, whether
    /// <c>Use*Storage</c> is called before or after this, and outside field encryption when both are on. Calling it again
    /// replaces the options. Off unless called.
    /// </summary>
    /// <param name="builder">The builder.</param>
    /// <param name="configure">Chooses the kinds, the fields and the redactors.</param>
    /// <returns>The builder.</returns>
    /// <remarks>
    /// Unless <see cref="PersonalDataRedactionOptions.RedactorProvider"/> is set, an <see cref="IRedactorProvider"/>
    /// registered in the container (<c>services.AddRedaction(...)</c>) decides what replaces each span, per
    /// <see cref="EvalKitDataClassifications"/> entry; without one, spans become placeholders such as <c>[email]</c>.
    /// </remarks>
    /// <exception cref="InvalidOperationException"><c>AddEvalKit</c> was not called first.</exception>
    public static IEvalKitBuilder UsePersonalDataRedaction(this IEvalKitBuilder builder, Action<PersonalDataRedactionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var options = new PersonalDataRedactionOptions();
        configure?.Invoke(options);
        StorageDecoration.Decorate(builder.Services, "redaction", StorageDecoration.RedactionOrder, (sp, inner, owned) =>
            new RedactingEvalKitStorage(
                inner,
                new PersonalDataRedactionOptions
                {
                    Kinds = options.Kinds,
                    Fields = options.Fields,
                    RedactorProvider = options.RedactorProvider ?? sp.GetService<IRedactorProvider>(),
                },
                owned));
        return builder;
    }
}
