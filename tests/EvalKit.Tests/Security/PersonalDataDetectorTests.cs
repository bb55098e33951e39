using EvalKit.Security;

namespace EvalKit.Tests.Security;

public sealed class PersonalDataDetectorTests
{
    [Theory]
    [InlineData("Write to ada@example.com today", "ada@example.com")]
    [InlineData("cc: first.last+tag@mail.example.co.uk.", "first.last+tag@mail.example.co.uk")]
    [InlineData("<bob_99@sub-domain.example.org>", "bob_99@sub-domain.example.org")]
    public void Detect_EmailAddresses(string text, string expected) =>
        Found(text, PersonalDataKinds.EmailAddress).Should().Equal(expected);

    [Theory]
    [InlineData("user@localhost")]
    [InlineData("@handle on social media")]
    [InlineData("see icon@2x.png")]
    [InlineData("ada at example dot com")]
    [InlineData("a@b.c")]
    public void Detect_NotEmailAddresses(string text) =>
        Found(text, PersonalDataKinds.EmailAddress).Should().BeEmpty();

    [Theory]
    [InlineData("Call +44 20 7946 0958 now", "+44 20 7946 0958")]
    [InlineData("Tel: +14155552671.", "+14155552671")]
    [InlineData("+1 (555) 123-4567", "+1 (555) 123-4567")]
    [InlineData("office (555) 123-4567", "(555) 123-4567")]
    [InlineData("555-123-4567 or", "555-123-4567")]
    [InlineData("555.123.4567", "555.123.4567")]
    [InlineData("1-800-555-1234", "1-800-555-1234")]
    [InlineData("mobile 06 12 34 56 78", "06 12 34 56 78")]
    [InlineData("0161 496 0000", "0161 496 0000")]
    public void Detect_PhoneNumbers(string text, string expected) =>
        Found(text, PersonalDataKinds.PhoneNumber).Should().Equal(expected);

    [Theory]
    [InlineData("Order 1234567890 shipped")]
    [InlineData("Released 2024-05-01 10:30")]
    [InlineData("on 01.05.2024 12:00")]
    [InlineData("version 1.2.3")]
    [InlineData("from 192.168.100.200")]
    [InlineData("scores 0.85 0.90 0.77")]
    [InlineData("1 2 3 4 5 6 7 8 9 10")]
    [InlineData("epoch 1718000000")]
    [InlineData("total 12,345.67 EUR")]
    public void Detect_NotPhoneNumbers(string text) =>
        Found(text, PersonalDataKinds.PhoneNumber).Should().BeEmpty();

    [Theory]
    [InlineData("Visa 4111 1111 1111 1111 exp 12/30", "4111 1111 1111 1111")]
    [InlineData("card=4111111111111111;", "4111111111111111")]
    [InlineData("MC 5555-5555-5555-4444.", "5555-5555-5555-4444")]
    [InlineData("Amex 378282246310005", "378282246310005")]
    public void Detect_PaymentCardNumbers(string text, string expected) =>
        Found(text, PersonalDataKinds.PaymentCardNumber).Should().Equal(expected);

    [Theory]
    [InlineData("4111 1111 1111 1112")] // 16 digits, Luhn fails
    [InlineData("1234567812345678")] // 16 digits, Luhn fails
    [InlineData("4111 1111 111")] // too short
    [InlineData("9111111111111111")] // no card network starts with 9 here
    public void Detect_NotPaymentCardNumbers(string text) =>
        Found(text, PersonalDataKinds.PaymentCardNumber).Should().BeEmpty();

    [Theory]
    [InlineData("4111 1111 1111 1112")]
    [InlineData("4111-1111-1111-1112")]
    [InlineData("4111111111111112")]
    public void Detect_SixteenDigitsFailingLuhn_AreNoPersonalDataAtAll(string text) =>
        Found($"ref {text} end", PersonalDataKinds.All).Should().BeEmpty();

    [Theory]
    [InlineData("4111111111111111", true)]
    [InlineData("4111111111111112", false)]
    [InlineData("4012 8888 8888 1881", true)]
    [InlineData("6011-1111-1111-1117", true)]
    [InlineData("4111x1111111111111", false)]
    public void IsPaymentCardNumber_ChecksLuhn(string candidate, bool expected) =>
        PersonalDataDetector.IsPaymentCardNumber(candidate).Should().Be(expected);

    [Fact]
    public void Detect_SeveralKinds_InOrderWithoutOverlaps()
    {
        const string text = "Mail ada@example.com, call +44 20 7946 0958, pay with 4111 1111 1111 1111.";

        var matches = PersonalDataDetector.Detect(text);

        matches.Select(m => (m.Kind, text.Substring(m.Start, m.Length))).Should().Equal(
            (PersonalDataKinds.EmailAddress, "ada@example.com"),
            (PersonalDataKinds.PhoneNumber, "+44 20 7946 0958"),
            (PersonalDataKinds.PaymentCardNumber, "4111 1111 1111 1111"));
    }

    [Fact]
    public void Detect_OnlyTheRequestedKinds() =>
        PersonalDataDetector.Detect("ada@example.com 4111111111111111", PersonalDataKinds.PaymentCardNumber).Should().ContainSingle()
            .Which.Kind.Should().Be(PersonalDataKinds.PaymentCardNumber);

    private static IEnumerable<string> Found(string text, PersonalDataKinds kinds) =>
        PersonalDataDetector.Detect(text, kinds).Select(m => text.Substring(m.Start, m.Length));
}
