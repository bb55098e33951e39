using EvalKit.Registry;

namespace EvalKit.Storage.Sqlite.Tests.Security;

public sealed class SqliteModelCredentialTests : IDisposable
{
    private readonly SqliteTestDatabase _db = new();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task CredentialNameAndEndpoint_SurviveAReopen_AndEveryRevisionKeepsThem()
    {
        await using (var kit = EvalKitHost.Create(storage: _db.Open()))
        {
            await kit.Registry.RegisterAsync(new ModelDescriptor { Id = "azure/gpt-4o", CredentialName = "kv:azure-openai", Endpoint = new Uri("https://example.openai.azure.com/openai/deployments/gpt-4o?api-version=2024-06-01") }, Ct);
            await kit.Registry.UpdateAsync("azure/gpt-4o", m => m with { CredentialName = "kv:azure-openai-2" }, cancellationToken: Ct);
        }

        await using (var kit = EvalKitHost.Create(storage: _db.Open()))
        {
            var model = await kit.Registry.GetAsync("azure/gpt-4o", Ct);
            model!.CredentialName.Should().Be("kv:azure-openai-2");
            model.Endpoint!.Query.Should().Be("?api-version=2024-06-01");
            var history = await kit.Registry.GetHistoryAsync("azure/gpt-4o", Ct).ToListAsync(Ct);
            history.Select(m => m.CredentialName).Should().Equal("kv:azure-openai", "kv:azure-openai-2");
        }
    }
}
