namespace EvalKit.Storage.Postgres.Tests;

/// <summary>The text and time encodings, without a server.</summary>
public sealed class PostgresValuesTests
{
    [Theory]
    [InlineData("")]
    [InlineData("\0")]
    [InlineData("\uE000")]
    [InlineData("\uE0000")]
    [InlineData("\uE000\uE000\0\0")]
    [InlineData("a\0b\uE000c0")]
    [InlineData("0\uE000")]
    [InlineData("plain 🧪 text")]
    public void EncodeThenDecode_GivesTheTextBack_AndTheEncodingHasNoNul(string text)
    {
        var stored = PostgresValues.Encode(text)!;

        stored.Should().NotContain("\0");
        PostgresValues.Decode(stored).Should().Be(text);
    }

    [Fact]
    public void Encode_IsInjective_OnTextThatLooksLikeAnEscape()
    {
        var texts = new[] { "\0", "\uE000" + "0", "\uE000\uE000", "\uE000", "0", "\0\0", "\uE000" + "00", "\0" + "0", string.Empty };

        texts.Select(PostgresValues.Encode).Should().OnlyHaveUniqueItems();
    }

    [Fact]
    public void Encode_PlainText_IsStoredUnchanged_AndNullStaysNull()
    {
        const string plain = "latency_ms";

        PostgresValues.Encode(plain).Should().BeSameAs(plain);
        PostgresValues.Encode(null).Should().BeNull();
    }

    [Theory]
    [InlineData("\uE000")]
    [InlineData("a\uE000b")]
    public void Decode_AnEscapeEncodeNeverWrites_Throws(string stored) =>
        FluentActions.Invoking(() => PostgresValues.Decode(stored)).Should().Throw<FormatException>();

    [Fact]
    public void SplitThenJoin_KeepsEveryTick_InUtc()
    {
        foreach (var time in new[] { DateTimeOffset.MinValue, DateTimeOffset.MaxValue, new DateTimeOffset(2026, 1, 7, 10, 0, 0, TimeSpan.FromHours(-3)).AddTicks(7) })
        {
            var (microseconds, ticks) = PostgresValues.Split(time);

            (microseconds.UtcTicks % 10).Should().Be(0);
            microseconds.Offset.Should().Be(TimeSpan.Zero);
            ticks.Should().BeInRange((short)0, (short)9);
            PostgresValues.Join(microseconds, ticks).UtcTicks.Should().Be(time.UtcTicks);
        }
    }
}
