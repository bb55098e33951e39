using EvalKit.Samples.QuickStart;

namespace EvalKit.Samples.Tests;

public sealed class QuickStartCommandLineTests
{
    [Fact]
    public void Parse_NoArguments_GivesTheLocalModelsOnEvalkitDb()
    {
        var parsed = QuickStartCommandLine.Parse([]);

        parsed.Error.Should().BeNull();
        parsed.ShowHelp.Should().BeFalse();
        parsed.Options.Should().Be(new QuickStartOptions { DatabasePath = "evalkit.db" });
        parsed.Options!.UsesEndpoint.Should().BeFalse();
    }

    [Fact]
    public void Parse_EndpointWithRepeatedAndCommaSeparatedModels_KeepsTheirOrder()
    {
        var parsed = QuickStartCommandLine.Parse(["my.db", "--endpoint", "http://localhost:11434/v1", "--model", "llama3.2:1b, qwen2.5:0.5b", "--model=Qwen/Qwen2.5-0.5B-Instruct"]);

        parsed.Error.Should().BeNull();
        parsed.Options!.DatabasePath.Should().Be("my.db");
        parsed.Options.Endpoint.Should().Be(new Uri("http://localhost:11434/v1"));
        parsed.Options.Models.Should().Equal("llama3.2:1b", "qwen2.5:0.5b", "Qwen/Qwen2.5-0.5B-Instruct");
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public void Parse_Help_AsksForTheUsageEvenAfterOtherArguments(string flag)
    {
        var parsed = QuickStartCommandLine.Parse(["--model", "x", flag]);

        parsed.ShowHelp.Should().BeTrue();
        parsed.Options.Should().BeNull();
        QuickStartCommandLine.Usage.Should().Contain("--endpoint URL").And.Contain("--model NAME").And.Contain(QuickStart.QuickStart.ApiKeyVariable);
    }

    [Theory]
    [InlineData("--model needs --endpoint URL", "--model", "gpt-4o-mini")]
    [InlineData("--endpoint needs at least one --model NAME", "--endpoint", "https://api.openai.com/v1")]
    [InlineData("--endpoint needs a value", "--endpoint")]
    [InlineData("--model needs a value", "--endpoint", "http://localhost:8000/v1", "--model", "--help-me")]
    [InlineData("--endpoint is not an absolute http:// or https:// address", "--endpoint", "localhost:11434", "--model", "m")]
    [InlineData("is not an absolute http:// or https:// address", "--endpoint", "ftp://example.com/v1", "--model", "m")]
    [InlineData("must not carry user information", "--endpoint", "https://user:secret@example.com/v1", "--model", "m")]
    [InlineData("must not have a query or fragment", "--endpoint", "https://example.com/v1?key=abc", "--model", "m")]
    [InlineData("--endpoint is given twice", "--endpoint", "http://a/v1", "--endpoint", "http://b/v1", "--model", "m")]
    [InlineData("has an empty model name", "--endpoint", "http://a/v1", "--model", "a,,b")]
    [InlineData("names 'a' more than once", "--endpoint", "http://a/v1", "--model", "a,b", "--model", "a")]
    [InlineData("--model 'bad name' cannot be a registry id", "--endpoint", "http://a/v1", "--model", "bad name")]
    [InlineData("--api-key is not accepted", "--endpoint", "http://a/v1", "--model", "m", "--api-key", "k")]
    [InlineData("Unknown option '--verbose'", "--verbose")]
    [InlineData("Unexpected argument 'b.db'", "a.db", "b.db")]
    public void Parse_BadArguments_GiveAnErrorThatNamesTheProblem(string expected, params string[] args)
    {
        var parsed = QuickStartCommandLine.Parse(args);

        parsed.Options.Should().BeNull();
        parsed.ShowHelp.Should().BeFalse();
        parsed.Error.Should().Contain(expected);
    }

    [Fact]
    public void Parse_AKeyMistypedAsTheEndpoint_IsNotEchoedInTheError()
    {
        const string Key = "sk-proj-abcdefghijklmnopqrstuvwxyz0123456789ABCD";

        var parsed = QuickStartCommandLine.Parse(["--endpoint", Key, "--model", "m"]);

        parsed.Error.Should().Contain("--endpoint").And.NotContain(Key);
    }

    [Fact]
    public async Task RunAsync_EndpointWithoutModels_IsRejectedBeforeAnythingRuns()
    {
        using var output = new StringWriter();
        var options = new QuickStartOptions { DatabasePath = Path.Combine(Path.GetTempPath(), "never-created.db"), Endpoint = new Uri("http://127.0.0.1:9/v1") };

        var run = () => QuickStart.QuickStart.RunAsync(options, output, TestContext.Current.CancellationToken);

        (await run.Should().ThrowAsync<ArgumentException>()).WithMessage("*without models*");
        output.ToString().Should().BeEmpty();
    }
}
