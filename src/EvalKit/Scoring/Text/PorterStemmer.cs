namespace EvalKit.Scoring;

/// <summary>
/// The Porter stemmer exactly as NLTK's <c>PorterStemmer()</c> in its default <c>NLTK_EXTENSIONS</c> mode
/// (the stemmer rouge-score uses): Porter (1980) with NLTK's irregular forms, its extra step 1 rules for
/// "ies"/"ied", the 'alli', 'fulli' and 'logi' step 2 rules, and the cvc test for two-letter stems.
/// </summary>
/// <remarks>
/// Words are processed as sequences of Unicode code points, so surrogate pairs count as one letter as in Python.
/// </remarks>
internal sealed class PorterStemmer
{
    private static readonly Dictionary<string, string> IrregularForms = new(StringComparer.Ordinal)
    {
        ["sky"] = "sky",
        ["skies"] = "sky",
        ["dying"] = "die",
        ["lying"] = "lie",
        ["tying"] = "tie",
        ["news"] = "news",
        ["innings"] = "inning",
        ["inning"] = "inning",
        ["outings"] = "outing",
        ["outing"] = "outing",
        ["cannings"] = "canning",
        ["canning"] = "canning",
        ["howe"] = "howe",
        ["proceed"] = "proceed",
        ["exceed"] = "exceed",
        ["succeed"] = "succeed",
    };

    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> IrregularLookup =
        IrregularForms.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly Rule[] Step1aRules =
    [
        new("sses", "ss", Condition.None),
        new("ies", "i", Condition.None),
        new("ss", "ss", Condition.None),
        new("s", "", Condition.None),
    ];

    private static readonly Rule[] Step1cRules = [new("y", "i", Condition.YStem)];

    private static readonly Rule[] Step2Rules =
    [
        new("ational", "ate", Condition.MeasureAbove0),
        new("tional", "tion", Condition.MeasureAbove0),
        new("enci", "ence", Condition.MeasureAbove0),
        new("anci", "ance", Condition.MeasureAbove0),
        new("izer", "ize", Condition.MeasureAbove0),
        new("bli", "ble", Condition.MeasureAbove0),
        new("alli", "al", Condition.MeasureAbove0),
        new("entli", "ent", Condition.MeasureAbove0),
        new("eli", "e", Condition.MeasureAbove0),
        new("ousli", "ous", Condition.MeasureAbove0),
        new("ization", "ize", Condition.MeasureAbove0),
        new("ation", "ate", Condition.MeasureAbove0),
        new("ator", "ate", Condition.MeasureAbove0),
        new("alism", "al", Condition.MeasureAbove0),
        new("iveness", "ive", Condition.MeasureAbove0),
        new("fulness", "ful", Condition.MeasureAbove0),
        new("ousness", "ous", Condition.MeasureAbove0),
        new("aliti", "al", Condition.MeasureAbove0),
        new("iviti", "ive", Condition.MeasureAbove0),
        new("biliti", "ble", Condition.MeasureAbove0),
        new("fulli", "ful", Condition.MeasureAbove0),
        new("logi", "log", Condition.LogiStem),
    ];

    private static readonly Rule[] Step3Rules =
    [
        new("icate", "ic", Condition.MeasureAbove0),
        new("ative", "", Condition.MeasureAbove0),
        new("alize", "al", Condition.MeasureAbove0),
        new("iciti", "ic", Condition.MeasureAbove0),
        new("ical", "ic", Condition.MeasureAbove0),
        new("ful", "", Condition.MeasureAbove0),
        new("ness", "", Condition.MeasureAbove0),
    ];

    private static readonly Rule[] Step4Rules =
    [
        new("al", "", Condition.MeasureAbove1),
        new("ance", "", Condition.MeasureAbove1),
        new("ence", "", Condition.MeasureAbove1),
        new("er", "", Condition.MeasureAbove1),
        new("ic", "", Condition.MeasureAbove1),
        new("able", "", Condition.MeasureAbove1),
        new("ible", "", Condition.MeasureAbove1),
        new("ant", "", Condition.MeasureAbove1),
        new("ement", "", Condition.MeasureAbove1),
        new("ment", "", Condition.MeasureAbove1),
        new("ent", "", Condition.MeasureAbove1),
        new("ion", "", Condition.IonStem),
        new("ou", "", Condition.MeasureAbove1),
        new("ism", "", Condition.MeasureAbove1),
        new("ate", "", Condition.MeasureAbove1),
        new("iti", "", Condition.MeasureAbove1),
        new("ous", "", Condition.MeasureAbove1),
        new("ive", "", Condition.MeasureAbove1),
        new("ize", "", Condition.MeasureAbove1),
    ];

    private enum Condition
    {
        None,
        MeasureAbove0,
        MeasureAbove1,
        IonStem,
        LogiStem,
        YStem,
    }

    /// <summary>The shared, stateless instance.</summary>
    public static PorterStemmer Instance { get; } = new();

    /// <summary>Stems <paramref name="word"/> as NLTK's <c>PorterStemmer().stem(word)</c> (which lowercases first).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="word"/> is <see langword="null"/>.</exception>
    public string Stem(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var lower = PythonText.Lower(word);

        // NLTK looks the original word up in its table of irregular forms.
        if (IrregularForms.TryGetValue(word, out var irregular))
        {
            return irregular;
        }

        Span<int> letters = lower.Length <= 128 ? stackalloc int[lower.Length + 1] : new int[lower.Length + 1];
        var length = 0;
        for (var i = 0; i < lower.Length;)
        {
            letters[length++] = PythonText.CodePointAt(lower, i, out var units);
            i += units;
        }

        if (CountCodePoints(word) <= 2)
        {
            return lower;
        }

        length = StemLetters(letters, length);
        var builder = new System.Text.StringBuilder(length);
        for (var i = 0; i < length; i++)
        {
            if (letters[i] <= char.MaxValue)
            {
                builder.Append((char)letters[i]);
            }
            else
            {
                builder.Append(char.ConvertFromUtf32(letters[i]));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Stems a word made of lowercase ASCII letters and digits (rouge-score's tokens) into
    /// <paramref name="destination"/>, which must be at least as long as the word; returns the stem length.
    /// </summary>
    public static int StemLowercaseAscii(ReadOnlySpan<char> word, Span<char> destination)
    {
        if (IrregularLookup.TryGetValue(word, out var irregular))
        {
            irregular.CopyTo(destination);
            return irregular.Length;
        }

        if (word.Length <= 2)
        {
            word.CopyTo(destination);
            return word.Length;
        }

        Span<int> letters = word.Length <= 128 ? stackalloc int[word.Length + 1] : new int[word.Length + 1];
        for (var i = 0; i < word.Length; i++)
        {
            letters[i] = word[i];
        }

        var length = StemLetters(letters, word.Length);
        for (var i = 0; i < length; i++)
        {
            destination[i] = (char)letters[i];
        }

        return length;
    }

    private static int CountCodePoints(string word)
    {
        var count = 0;
        for (var i = 0; i < word.Length; count++)
        {
            PythonText.CodePointAt(word, i, out var units);
            i += units;
        }

        return count;
    }

    /// <summary>Runs steps 1a to 5b on <paramref name="w"/>[..<paramref name="length"/>] in place; the buffer holds one spare letter.</summary>
    private static int StemLetters(Span<int> w, int length)
    {
        length = Step1a(w, length);
        length = Step1b(w, length);
        length = ApplyRules(w, length, Step1cRules);
        length = Step2(w, length);
        length = ApplyRules(w, length, Step3Rules);
        length = ApplyRules(w, length, Step4Rules);
        length = Step5a(w, length);
        return Step5b(w, length);
    }

    private static int Step1a(Span<int> w, int length)
    {
        // NLTK: a four-letter word in "ies" keeps "ie" ("dies" -> "die").
        if (length == 4 && EndsWith(w, length, "ies"))
        {
            return 3;
        }

        return ApplyRules(w, length, Step1aRules);
    }

    private static int Step1b(Span<int> w, int length)
    {
        // NLTK: "ied" becomes "ie" in four-letter words and "i" otherwise.
        if (EndsWith(w, length, "ied"))
        {
            return length == 4 ? 3 : length - 2;
        }

        if (EndsWith(w, length, "eed"))
        {
            return Measure(w, length - 3) > 0 ? length - 1 : length;
        }

        int stem;
        if (EndsWith(w, length, "ed") && ContainsVowel(w, length - 2))
        {
            stem = length - 2;
        }
        else if (EndsWith(w, length, "ing") && ContainsVowel(w, length - 3))
        {
            stem = length - 3;
        }
        else
        {
            return length;
        }

        if (EndsWith(w, stem, "at") || EndsWith(w, stem, "bl") || EndsWith(w, stem, "iz"))
        {
            w[stem] = 'e';
            return stem + 1;
        }

        if (EndsDoubleConsonant(w, stem))
        {
            var last = w[stem - 1];
            return last is 'l' or 's' or 'z' ? stem : stem - 1;
        }

        if (Measure(w, stem) == 1 && EndsCvc(w, stem))
        {
            w[stem] = 'e';
            return stem + 1;
        }

        return stem;
    }

    private static int Step2(Span<int> w, int length)
    {
        // NLTK applies "alli" -> "al" first and, when it fires, runs step 2 again.
        if (EndsWith(w, length, "alli") && Measure(w, length - 4) > 0)
        {
            return Step2(w, length - 2);
        }

        return ApplyRules(w, length, Step2Rules);
    }

    private static int Step5a(Span<int> w, int length)
    {
        if (EndsWith(w, length, "e"))
        {
            var stem = length - 1;
            var measure = Measure(w, stem);
            if (measure > 1 || (measure == 1 && !EndsCvc(w, stem)))
            {
                return stem;
            }
        }

        return length;
    }

    private static int Step5b(Span<int> w, int length)
    {
        if (EndsWith(w, length, "ll") && Measure(w, length - 1) > 1)
        {
            return length - 1;
        }

        return length;
    }

    /// <summary>Applies the first rule whose suffix matches; a failing condition stops the list, as in NLTK.</summary>
    private static int ApplyRules(Span<int> w, int length, ReadOnlySpan<Rule> rules)
    {
        foreach (var rule in rules)
        {
            if (!EndsWith(w, length, rule.Suffix))
            {
                continue;
            }

            var stem = length - rule.Suffix.Length;
            if (!Holds(rule.Condition, w, stem, length))
            {
                return length;
            }

            for (var i = 0; i < rule.Replacement.Length; i++)
            {
                w[stem + i] = rule.Replacement[i];
            }

            return stem + rule.Replacement.Length;
        }

        return length;
    }

    private static bool Holds(Condition condition, Span<int> w, int stem, int length) => condition switch
    {
        Condition.None => true,
        Condition.MeasureAbove0 => Measure(w, stem) > 0,
        Condition.MeasureAbove1 => Measure(w, stem) > 1,
        Condition.IonStem => Measure(w, stem) > 1 && w[stem - 1] is 's' or 't',
        Condition.LogiStem => Measure(w, length - 3) > 0,
        Condition.YStem => stem > 1 && IsConsonant(w, stem - 1),
        _ => false,
    };

    private static bool EndsWith(Span<int> w, int length, string suffix)
    {
        if (suffix.Length > length)
        {
            return false;
        }

        var start = length - suffix.Length;
        for (var i = 0; i < suffix.Length; i++)
        {
            if (w[start + i] != suffix[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsVowel(int c) => c is 'a' or 'e' or 'i' or 'o' or 'u';

    /// <summary>A letter other than a vowel, where 'y' is a consonant at the start or after a vowel.</summary>
    private static bool IsConsonant(Span<int> w, int i)
    {
        var c = w[i];
        if (IsVowel(c))
        {
            return false;
        }

        if (c != 'y')
        {
            return true;
        }

        // 'y' alternates along a run of 'y's; the run's first 'y' is a consonant at the start of the word
        // or after a vowel.
        var start = i;
        while (start > 0 && w[start - 1] == 'y')
        {
            start--;
        }

        var firstIsConsonant = start == 0 || IsVowel(w[start - 1]);
        return ((i - start) & 1) == 0 ? firstIsConsonant : !firstIsConsonant;
    }

    /// <summary>Porter's m: the number of vowel-consonant transitions in <paramref name="w"/>[..<paramref name="length"/>].</summary>
    private static int Measure(Span<int> w, int length)
    {
        var measure = 0;
        var previousConsonant = true;
        for (var i = 0; i < length; i++)
        {
            var c = w[i];
            bool consonant;
            if (IsVowel(c))
            {
                consonant = false;
            }
            else if (c == 'y')
            {
                consonant = i == 0 || !previousConsonant;
            }
            else
            {
                consonant = true;
            }

            if (consonant && i > 0 && !previousConsonant)
            {
                measure++;
            }

            previousConsonant = consonant;
        }

        return measure;
    }

    private static bool ContainsVowel(Span<int> w, int length)
    {
        var previousConsonant = true;
        for (var i = 0; i < length; i++)
        {
            var c = w[i];
            bool consonant = !IsVowel(c) && (c != 'y' || i == 0 || !previousConsonant);
            if (!consonant)
            {
                return true;
            }

            previousConsonant = consonant;
        }

        return false;
    }

    private static bool EndsDoubleConsonant(Span<int> w, int length) =>
        length >= 2 && w[length - 1] == w[length - 2] && IsConsonant(w, length - 1);

    private static bool EndsCvc(Span<int> w, int length)
    {
        if (length >= 3
            && IsConsonant(w, length - 3)
            && !IsConsonant(w, length - 2)
            && IsConsonant(w, length - 1)
            && w[length - 1] is not ('w' or 'x' or 'y'))
        {
            return true;
        }

        return length == 2 && !IsConsonant(w, 0) && IsConsonant(w, 1);
    }

    private readonly record struct Rule(string Suffix, string Replacement, Condition Condition);
}
