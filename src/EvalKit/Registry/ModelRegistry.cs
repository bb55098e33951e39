using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using EvalKit.Storage;

namespace EvalKit.Registry;

/// <summary>The model registry over the configured store.</summary>
public sealed partial class ModelRegistry : IModelRegistry
{
    private readonly IEvalKitStorage _storage;
    private readonly TimeProvider _time;

    /// <summary>Initializes a new instance of the <see cref="ModelRegistry"/> class.</summary>
    /// <param name="storage">The store (not owned).</param>
    /// <param name="timeProvider">The clock.</param>
    public ModelRegistry(IEvalKitStorage storage, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _storage = storage;
        _time = timeProvider;
    }

    /// <inheritdoc/>
    public async ValueTask<ModelDescriptor> RegisterAsync(ModelDescriptor model, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        Validate(model);
        var stored = model with { Revision = 1, UpdatedAt = _time.GetUtcNow() };
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        if (!await _storage.Models.TryAddAsync(stored, cancellationToken).ConfigureAwait(false))
        {
            throw new EvalKitException($"A model with id '{model.Id}' is already registered; use UpdateAsync to change it.");
        }

        return stored;
    }

    /// <inheritdoc/>
    public async ValueTask<ModelDescriptor?> GetAsync(string modelId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        return await _storage.Models.GetAsync(modelId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<ModelDescriptor> ListAsync(ModelQuery? query = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var model in _storage.Models.ListAsync(cancellationToken).ConfigureAwait(false))
        {
            if (query is null || query.Matches(model))
            {
                yield return model;
            }
        }
    }

    /// <inheritdoc/>
    public async ValueTask<ModelDescriptor> UpdateAsync(string modelId, Func<ModelDescriptor, ModelDescriptor> change, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        ArgumentNullException.ThrowIfNull(change);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        while (true)
        {
            var current = await _storage.Models.GetAsync(modelId, cancellationToken).ConfigureAwait(false)
                ?? throw new ModelNotFoundException(modelId);
            var changed = change(current) ?? throw new InvalidOperationException("The change function returned null.");
            if (!string.Equals(changed.Id, current.Id, StringComparison.Ordinal))
            {
                throw new ArgumentException($"A model's id cannot change (from '{current.Id}' to '{changed.Id}'); register a new model instead.", nameof(change));
            }

            Validate(changed);
            var next = changed with { Revision = current.Revision + 1, UpdatedAt = _time.GetUtcNow() };
            if (await _storage.Models.TryUpdateAsync(next, current.Revision, cancellationToken).ConfigureAwait(false))
            {
                return next;
            }

            // Another writer stored a revision in between: apply the change again on top of it.
        }
    }

    /// <inheritdoc/>
    public ValueTask<ModelDescriptor> DeprecateAsync(string modelId, string? reason = null, CancellationToken cancellationToken = default) =>
        UpdateAsync(
            modelId,
            m =>
            {
                var metadata = new Dictionary<string, string>(m.Metadata, StringComparer.Ordinal);
                if (reason is not null)
                {
                    metadata["deprecation.reason"] = reason;
                }

                return m with { Status = ModelStatus.Deprecated, Metadata = metadata };
            },
            cancellationToken);

    /// <inheritdoc/>
    public async IAsyncEnumerable<ModelDescriptor> GetHistoryAsync(string modelId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelId);
        await _storage.InitializeAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var model in _storage.Models.GetHistoryAsync(modelId, cancellationToken).ConfigureAwait(false))
        {
            yield return model;
        }
    }

    /// <inheritdoc/>
    public async ValueTask<IReadOnlyList<ModelDescriptor>> FindByCapabilitiesAsync(IEnumerable<string> required, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(required);
        var query = new ModelQuery { Capabilities = [.. required] };
        var found = new List<ModelDescriptor>();
        await foreach (var model in ListAsync(query, cancellationToken).ConfigureAwait(false))
        {
            found.Add(model);
        }

        return found;
    }

    /// <summary>Checks a model's metadata and lists every problem at once.</summary>
    /// <param name="model">The model.</param>
    /// <exception cref="ArgumentException">The model is invalid; the message lists each problem.</exception>
    public static void Validate(ModelDescriptor model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(model.Id) || !IdPattern().IsMatch(model.Id))
        {
            problems.Add($"Id '{model.Id}' is invalid: use 1-200 letters, digits and . _ : / @ + - characters, starting with a letter or digit.");
        }

        if (model.Pricing is { } pricing)
        {
            if (pricing.InputPerMillionTokens < 0 || pricing.OutputPerMillionTokens < 0)
            {
                problems.Add("Pricing must not be negative.");
            }

            if (string.IsNullOrWhiteSpace(pricing.Currency) || pricing.Currency.Length != 3 || !pricing.Currency.All(char.IsAsciiLetterUpper))
            {
                problems.Add($"Pricing currency '{pricing.Currency}' is not an ISO 4217 code such as USD.");
            }
        }

        if (model.ContextWindow is <= 0)
        {
            problems.Add($"ContextWindow must be positive (was {model.ContextWindow}).");
        }

        foreach (var capability in model.Capabilities)
        {
            if (!CapabilityPattern().IsMatch(capability))
            {
                problems.Add($"Capability '{capability}' is invalid: use lower-case letters, digits and '-', '.' or '_'.");
            }
        }

        if (problems.Count > 0)
        {
            throw new ArgumentException($"Model '{model.Id}' is invalid: " + string.Join(" ", problems), nameof(model));
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._:/@+-]{0,199}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$")]
    private static partial Regex CapabilityPattern();
}
