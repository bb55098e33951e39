using EvalKit.Storage;

namespace EvalKit.Security;

/// <summary>
/// A storage decorator that redacts personal data (e-mail addresses, phone numbers, payment card numbers) in case inputs,
/// references and answers before they are stored, over any provider. Redaction is one-way: reads return what was stored.
/// </summary>
/// <remarks>
/// <para>
/// Inputs are redacted when a dataset is imported, so the model is evaluated on the redacted prompts. Answers are scored
/// as the model gave them and stored redacted; the response cache holds the redacted answer too, so a cached rerun
/// scores the redacted text. Case ids, groups and metadata, benchmarks and error messages are not redacted.
/// </para>
/// <para>Stack it outside <see cref="EncryptingEvalKitStorage"/>: <c>new RedactingEvalKitStorage(new EncryptingEvalKitStorage(store, keys))</c>.</para>
/// </remarks>
public sealed class RedactingEvalKitStorage : DelegatingEvalKitStorage
{
    private readonly ProtectedStores _stores;

    /// <summary>Initializes a new instance of the <see cref="RedactingEvalKitStorage"/> class.</summary>
    /// <param name="inner">The store to wrap.</param>
    /// <param name="options">What to redact and how; every kind in every content field, with placeholders, when <see langword="null"/>.</param>
    /// <param name="ownsInner">Whether disposing this store disposes <paramref name="inner"/>.</param>
    public RedactingEvalKitStorage(IEvalKitStorage inner, PersonalDataRedactionOptions? options = null, bool ownsInner = true)
        : base(inner, ownsInner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        options ??= new PersonalDataRedactionOptions();
        Fields = options.Fields;
        Redactor = new PersonalDataRedactor(options.Kinds, options.RedactorProvider);
        _stores = new ProtectedStores(inner, new Protector(Redactor, options.Fields));
    }

    /// <summary>Gets the redactor applied to every content field in <see cref="Fields"/>.</summary>
    public PersonalDataRedactor Redactor { get; }

    /// <summary>Gets the redacted fields.</summary>
    public ContentFields Fields { get; }

    /// <inheritdoc/>
    public override IDatasetStorage Datasets => _stores.Datasets;

    /// <inheritdoc/>
    public override IResultStorage Results => _stores.Results;

    /// <inheritdoc/>
    public override IResponseCacheStorage ResponseCache => _stores.ResponseCache;

    private sealed class Protector(PersonalDataRedactor redactor, ContentFields fields) : IContentProtector, IContentWriter
    {
        public ContentFields Fields => fields;

        public ValueTask<IContentWriter> BeginWriteAsync(CancellationToken cancellationToken) => ValueTask.FromResult<IContentWriter>(this);

        public IContentReader? BeginRead() => null;

        public string Write(string text, FieldRecord record, string field) => redactor.Redact(text);

        public void Dispose()
        {
            // Stateless: one writer serves every operation.
        }
    }
}
