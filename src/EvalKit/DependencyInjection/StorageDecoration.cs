using EvalKit.Storage;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>
/// Storage decorators registered through the builder (encryption, redaction): they wrap whichever store is configured,
/// before or after them, because <c>UseStorage</c> applies them again to the store it registers. Each decorator has a
/// slot (registering a slot again replaces it) and an order (lower wraps first, so it sits closer to the provider).
/// </summary>
internal static class StorageDecoration
{
    /// <summary>The order of field encryption: closest to the provider.</summary>
    public const int EncryptionOrder = 100;

    /// <summary>The order of redaction: outside encryption, so that it sees plaintext.</summary>
    public const int RedactionOrder = 200;

    /// <summary>Adds or replaces a decorator and wraps the store registered now (and any registered later).</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="slot">The decorator's slot.</param>
    /// <param name="order">Lower orders wrap first.</param>
    /// <param name="decorate">Wraps a store; the wrapper owns the store when the flag is <see langword="true"/>.</param>
    public static void Decorate(IServiceCollection services, string slot, int order, Func<IServiceProvider, IEvalKitStorage, bool, IEvalKitStorage> decorate)
    {
        var state = services.Where(d => d.ServiceType == typeof(State)).Select(d => d.ImplementationInstance).OfType<State>().FirstOrDefault();
        if (state is null)
        {
            state = new State();
            services.AddSingleton(state);
        }

        state.Decorators[slot] = (order, decorate);
        Apply(services, state);
    }

    /// <summary>Wraps a newly registered store in the decorators registered so far; called by <c>UseStorage</c>.</summary>
    /// <param name="services">The service collection.</param>
    public static void Reapply(IServiceCollection services)
    {
        var state = services.Where(d => d.ServiceType == typeof(State)).Select(d => d.ImplementationInstance).OfType<State>().FirstOrDefault();
        if (state is not null)
        {
            Apply(services, state);
        }
    }

    private static void Apply(IServiceCollection services, State state)
    {
        var current = services.LastOrDefault(d => d.ServiceType == typeof(IEvalKitStorage) && !d.IsKeyedService)
            ?? throw new InvalidOperationException("No EvalKit store is registered: call services.AddEvalKit() before adding storage decorators.");
        if (!ReferenceEquals(current, state.Decorated))
        {
            state.Provider = current;
        }

        var provider = state.Provider!;
        var decorators = state.Decorators.Values.OrderBy(d => d.Order).Select(d => d.Decorate).ToArray();
        state.Decorated = ServiceDescriptor.Singleton<IEvalKitStorage>(sp =>
        {
            var (storage, owned) = Create(sp, provider);
            foreach (var decorate in decorators)
            {
                storage = decorate(sp, storage, owned);
                owned = true;
            }

            return storage;
        });
        services.Replace(state.Decorated);
    }

    private static (IEvalKitStorage Storage, bool Owned) Create(IServiceProvider services, ServiceDescriptor descriptor)
    {
        if (descriptor.ImplementationInstance is IEvalKitStorage instance)
        {
            // The host created it and keeps it: the decorator must not dispose it.
            return (instance, false);
        }

        if (descriptor.ImplementationFactory is { } factory)
        {
            return ((IEvalKitStorage)factory(services), true);
        }

        if (descriptor.ImplementationType is { } type)
        {
            return ((IEvalKitStorage)ActivatorUtilities.CreateInstance(services, type), true);
        }

        throw new InvalidOperationException($"The EvalKit store registration ({descriptor}) cannot be decorated.");
    }

    private sealed class State
    {
        public Dictionary<string, (int Order, Func<IServiceProvider, IEvalKitStorage, bool, IEvalKitStorage> Decorate)> Decorators { get; } = new(StringComparer.Ordinal);

        public ServiceDescriptor? Provider { get; set; }

        public ServiceDescriptor? Decorated { get; set; }
    }
}
