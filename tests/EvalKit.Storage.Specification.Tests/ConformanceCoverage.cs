using System.Reflection;

namespace EvalKit.Storage.Specification.Tests;

/// <summary>Finds the conformance suites a provider's test assembly does not derive from.</summary>
public static class ConformanceCoverage
{
    public static IReadOnlyList<string> MissingSuites(Assembly providerTests)
    {
        ArgumentNullException.ThrowIfNull(providerTests);
        var suites = typeof(StorageTestBase).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSubclassOf(typeof(StorageTestBase)))
            .ToList();
        suites.Should().NotBeEmpty();
        var implemented = providerTests.GetTypes().Where(t => !t.IsAbstract).Select(t => t.BaseType).ToHashSet();
        return [.. suites.Where(s => !implemented.Contains(s)).Select(s => s.Name)];
    }
}
