using EvalKit.Security;

namespace EvalKit.Tests.Security;

public sealed class SecretTextTests
{
    [Theory]
    [InlineData("sk-test-SECRET-0123456789")]
    [InlineData("sk-proj-AbCdEf0123456789AbCdEf0123456789")]
    [InlineData("key: sk-ant-api03-abcdefghijklmnop0123")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("AKIAIOSFODNN7EXAMPLE")]
    [InlineData("AIzaSyA1234567890abcdefghijklmnopqrstuv")]
    [InlineData("hf_abcdefghijklmnopqrstuvwxyzABCDEFGH")]
    [InlineData("xoxb-1234567890-abcdefghij")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")]
    [InlineData("Authorization: Bearer abcdefghijklmnop0123456789")]
    [InlineData("https://admin:hunter22@models.example.com/v1")]
    [InlineData("https://models.example.com/v1?api_key=abcdef123456")]
    [InlineData("https://store.blob.core.windows.net/c?sv=2024-01-01&sig=abcDEF123456%3D")]
    [InlineData("Server=db;User Id=evalkit;Password=hunter22;")]
    [InlineData("{\"api_key\": \"abcdef123456\"}")]
    [InlineData("client_secret=s3cr3t-value")]
    public void LooksLikeSecret_CredentialShapes_AreRecognised(string text) =>
        SecretText.LooksLikeSecret(text).Should().BeTrue(text);

    [Theory]
    [InlineData("openai/gpt-4o-mini")]
    [InlineData("sk-learn-tutorial-notes")]
    [InlineData("https://api.openai.com/v1")]
    [InlineData("https://models.example.com/v1?api-version=2024-06-01&deployment=gpt4o")]
    [InlineData("max_tokens=4096")]
    [InlineData("sha256=9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    [InlineData("team:search")]
    [InlineData("password: short")]
    [InlineData("Bearer tokens are issued by the gateway")]
    [InlineData("")]
    public void LooksLikeSecret_OrdinaryText_IsNotASecret(string text) =>
        SecretText.LooksLikeSecret(text).Should().BeFalse(text);

    [Theory]
    [InlineData("api_key", true)]
    [InlineData("x-api-key", true)]
    [InlineData("OPENAI_API_KEY", true)]
    [InlineData("password", true)]
    [InlineData("client_secret", true)]
    [InlineData("access_token", true)]
    [InlineData("token", true)]
    [InlineData("sig", true)]
    [InlineData("api_key_name", false)]
    [InlineData("secret_ref", false)]
    [InlineData("password_file", false)]
    [InlineData("max_tokens", false)]
    [InlineData("owner", false)]
    [InlineData("keyboard_layout", false)]
    public void IsSecretName_TellsNamesThatHoldSecretsFromNamesThatReferToThem(string name, bool expected) =>
        SecretText.IsSecretName(name).Should().Be(expected, name);

    [Fact]
    public void Scrub_RemovesOnlyTheSecretParts()
    {
        var scrubbed = SecretText.Scrub("401 Unauthorized: invalid key sk-test-SECRET-0123456789 for https://bob:hunter22@api.example.com/v1?api_key=abcdef123456&model=gpt");

        scrubbed.Should().Be($"401 Unauthorized: invalid key {SecretText.Placeholder} for https://bob:{SecretText.Placeholder}@api.example.com/v1?api_key={SecretText.Placeholder}&model=gpt");
    }

    [Fact]
    public void Scrub_TextWithoutSecrets_IsReturnedAsItIs()
    {
        const string text = "The model timed out after 30 s (attempt 2 of 3).";

        SecretText.Scrub(text).Should().BeSameAs(text);
        SecretText.Scrub(null).Should().BeNull();
    }

    [Fact]
    public void Scrub_ASecretMatchedTwice_IsRemovedOnce()
    {
        SecretText.Scrub("password=sk-test-SECRET-0123456789;").Should().Be($"password={SecretText.Placeholder};");
    }
}
