using System.Globalization;
using EvalKit.Scoring;
using FluentAssertions;
using Xunit;

namespace EvalKit.Tests.Scoring;

/// <summary>The CPython string rules the metrics depend on; Data/python_lower.tsv comes from Data/generate_python_lower.py.</summary>
public sealed class PythonTextTests
{
    [Fact]
    public void Lower_EveryCodePointPythonLowercases_MatchesPython()
    {
        var mismatches = new List<string>();
        var checkedCount = 0;
        foreach (var line in File.ReadLines(TestData.Path("python_lower.tsv")).Where(l => !l.StartsWith('#')))
        {
            var parts = line.Split('\t');
            var source = char.ConvertFromUtf32(int.Parse(parts[0], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
            var expected = string.Concat(parts[1].Split(' ').Select(h => char.ConvertFromUtf32(int.Parse(h, NumberStyles.HexNumber, CultureInfo.InvariantCulture))));
            var actual = PythonText.Lower(source);
            checkedCount++;
            if (actual != expected)
            {
                mismatches.Add(parts[0]);
            }
        }

        checkedCount.Should().BeGreaterThan(1400);
        mismatches.Should().BeEmpty();
    }

    [Theory]
    [InlineData("ΟΔΟΣ", "οδος")] // final: preceded by a cased letter, nothing follows
    [InlineData("ΣΑ", "σα")] // not final: nothing cased before it
    [InlineData("AΣ.", "aς.")] // '.' is case-ignorable, then the end
    [InlineData("AΣ'B", "aσ'b")] // the apostrophe is skipped and a cased letter follows
    [InlineData("Σ", "σ")]
    [InlineData("İ", "i\u0307")] // the one multi-character lowercase mapping
    [InlineData("\U00010400", "\U00010428")] // Deseret: outside the BMP
    public void Lower_ContextualCases_MatchPython(string text, string expected)
    {
        PythonText.Lower(text).Should().Be(expected);
    }

    [Fact]
    public void IsSpace_MatchesPythonIsspace()
    {
        // Python 3.11: [c for c in map(chr, range(0x10000)) if c.isspace()]
        int[] pythonSpaces =
        [
            0x9, 0xA, 0xB, 0xC, 0xD, 0x1C, 0x1D, 0x1E, 0x1F, 0x20, 0x85, 0xA0, 0x1680,
            0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200A,
            0x2028, 0x2029, 0x202F, 0x205F, 0x3000,
        ];
        Enumerable.Range(0, 0x10000).Where(c => PythonText.IsSpace((char)c)).Should().Equal(pythonSpaces);
    }

    [Theory]
    [InlineData('a', true)]
    [InlineData('_', true)]
    [InlineData('7', true)]
    [InlineData('é', true)]
    [InlineData('\u0301', false)] // combining mark: not \w in Python (it is in .NET regex)
    [InlineData('\u00B2', true)] // superscript two (No)
    [InlineData('-', false)]
    public void IsWordCharacter_MatchesPythonRegex(char c, bool expected)
    {
        PythonText.IsWordCharacter(c).Should().Be(expected);
    }

    [Fact]
    public void RStripLength_TrailingPythonWhitespace_IsTrimmed()
    {
        PythonText.RStripLength("ab \u001F\u3000").Should().Be(2);
    }
}
