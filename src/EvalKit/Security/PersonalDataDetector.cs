using System.Text.RegularExpressions;

namespace EvalKit.Security;

/// <summary>
/// Finds personal data in text: e-mail addresses, phone numbers and payment card numbers. Regular expressions (source
/// generated) find candidates; checks in code keep the ones that really have the shape (the Luhn checksum for cards,
/// digit counts and grouping for phone numbers), so that dates, versions, ids and amounts are left alone.
/// </summary>
/// <remarks>
/// Detection is heuristic: it errs on the side of precision for the formats above and does not find names, postal
/// addresses or national id numbers. Overlaps are resolved in favour of cards, then e-mail addresses, then phone numbers.
/// </remarks>
public static partial class PersonalDataDetector
{
    private static readonly string[] FileExtensions = ["png", "jpg", "jpeg", "gif", "svg", "webp", "pdf"];

    /// <summary>Finds the personal data of the given kinds in a text.</summary>
    /// <param name="text">The text.</param>
    /// <param name="kinds">The kinds to look for.</param>
    /// <returns>The matches, ordered by position, never overlapping.</returns>
    public static IReadOnlyList<PersonalDataMatch> Detect(string text, PersonalDataKinds kinds = PersonalDataKinds.All)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = new List<PersonalDataMatch>();
        if (text.Length == 0 || kinds == PersonalDataKinds.None)
        {
            return matches;
        }

        if (kinds.HasFlag(PersonalDataKinds.PaymentCardNumber) && text.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
        {
            foreach (var match in CardCandidates().EnumerateMatches(text))
            {
                if (IsPaymentCardNumber(text.AsSpan(match.Index, match.Length)))
                {
                    Add(matches, new(PersonalDataKinds.PaymentCardNumber, match.Index, match.Length));
                }
            }
        }

        if (kinds.HasFlag(PersonalDataKinds.EmailAddress) && text.Contains('@', StringComparison.Ordinal))
        {
            foreach (Match match in Emails().Matches(text))
            {
                var domain = match.Value[(match.Value.LastIndexOf('.') + 1)..];
                if (!FileExtensions.Contains(domain, StringComparer.OrdinalIgnoreCase))
                {
                    Add(matches, new(PersonalDataKinds.EmailAddress, match.Index, match.Length));
                }
            }
        }

        if (kinds.HasFlag(PersonalDataKinds.PhoneNumber) && text.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
        {
            foreach (var match in PhoneCandidates().EnumerateMatches(text))
            {
                if (IsPhoneNumber(text.AsSpan(match.Index, match.Length)))
                {
                    Add(matches, new(PersonalDataKinds.PhoneNumber, match.Index, match.Length));
                }
            }
        }

        matches.Sort((a, b) => a.Start.CompareTo(b.Start));
        return matches;
    }

    /// <summary>Tells whether digits (spaces and dashes between them ignored) form a payment card number: 13-19 digits, a first digit of 2-6, and a valid Luhn checksum.</summary>
    /// <param name="candidate">The candidate.</param>
    /// <returns><see langword="true"/> for a card number.</returns>
    public static bool IsPaymentCardNumber(ReadOnlySpan<char> candidate)
    {
        Span<int> digits = stackalloc int[19];
        var count = 0;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == digits.Length)
                {
                    return false;
                }

                digits[count++] = c - '0';
            }
            else if (c is not (' ' or '-'))
            {
                return false;
            }
        }

        if (count < 13 || digits[0] is < 2 or > 6)
        {
            return false;
        }

        // Luhn: from the right, double every second digit, subtract 9 from results over 9; the sum is a multiple of 10.
        var sum = 0;
        for (var i = 0; i < count; i++)
        {
            var d = digits[count - 1 - i];
            if (i % 2 == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return sum % 10 == 0;
    }

    private static bool IsPhoneNumber(ReadOnlySpan<char> candidate)
    {
        var digits = 0;
        var groups = 0;
        var groupLength = 0;
        var singleDigitGroups = 0;
        var longestGroup = 0;
        var separators = 0;
        var firstGroupIsSingle = false;
        foreach (var c in candidate)
        {
            if (char.IsAsciiDigit(c))
            {
                digits++;
                groupLength++;
                continue;
            }

            if (c != '+')
            {
                separators++;
            }

            CloseGroup();
        }

        CloseGroup();
        if (DateLike().IsMatch(candidate))
        {
            // "2024-05-01 10" (a date and the hour of a time) has the digits and groups of a phone number.
            return false;
        }

        if (candidate[0] == '+')
        {
            // International: a country code and subscriber number of 8-15 digits in all (ITU E.164), grouped or not.
            return digits is >= 8 and <= 15 && longestGroup <= 15;
        }

        // National: 10 or 11 digits in 2-5 groups of at most 4 digits, with at most one 1-digit group, first ("1-800-…").
        // Runs of digits without separators (ids, timestamps) and dates, versions and amounts do not pass.
        return digits is 10 or 11
            && separators > 0
            && groups is >= 2 and <= 5
            && longestGroup <= 4
            && (singleDigitGroups == 0 || (singleDigitGroups == 1 && firstGroupIsSingle));

        void CloseGroup()
        {
            if (groupLength == 0)
            {
                return;
            }

            if (groupLength == 1)
            {
                singleDigitGroups++;
                firstGroupIsSingle |= groups == 0;
            }

            groups++;
            longestGroup = Math.Max(longestGroup, groupLength);
            groupLength = 0;
        }
    }

    private static void Add(List<PersonalDataMatch> matches, PersonalDataMatch match)
    {
        foreach (var existing in matches)
        {
            if (match.Start < existing.End && existing.Start < match.End)
            {
                return;
            }
        }

        matches.Add(match);
    }

    [GeneratedRegex(@"(?<![0-9])[0-9](?:[ -]?[0-9]){12,18}(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex CardCandidates();

    [GeneratedRegex(
        @"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]{0,63}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])",
        RegexOptions.CultureInvariant)]
    private static partial Regex Emails();

    [GeneratedRegex(@"^\(?(?:(?:19|20)[0-9]{2}[-./ ][0-9]{1,2}[-./ ][0-9]{1,2}|[0-9]{1,2}[-./ ][0-9]{1,2}[-./ ](?:19|20)[0-9]{2})(?![0-9])", RegexOptions.CultureInvariant)]
    private static partial Regex DateLike();

    [GeneratedRegex(@"(?<![\w+(.-])(?:\+|\()?[0-9][0-9 ().-]{5,22}[0-9](?![\w])", RegexOptions.CultureInvariant)]
    private static partial Regex PhoneCandidates();
}
