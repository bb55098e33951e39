namespace EvalKit.Scoring;

/// <summary>
/// rouge-score's default tokenizer: Python-lowercase the text, replace every run of characters other than
/// [a-z0-9] by a space, split, optionally stem tokens longer than 3 characters with NLTK's Porter stemmer,
/// and drop empty tokens. Tokens are interned into the workspace.
/// </summary>
internal static class RougeTokenizer
{
    private const char KelvinSign = '\u212A';
    private const char CapitalIWithDot = '\u0130';

    /// <summary>Writes the token ids of <paramref name="text"/> at <paramref name="offset"/> in the workspace token buffer; returns their number.</summary>
    public static int Tokenize(ReadOnlySpan<char> text, bool useStemmer, TextWorkspace workspace, int offset)
    {
        // Only two non-ASCII characters lowercase to something containing [a-z0-9] in Python:
        // U+212A KELVIN SIGN -> "k" and U+0130 -> "i" + U+0307 (the combining dot ends the token).
        Span<char> token = workspace.BufferA(text.Length);
        Span<char> stemmed = workspace.BufferB(text.Length + 1);
        var tokenLength = 0;
        var count = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            char mapped;
            var endsToken = false;
            if (c < 0x80)
            {
                mapped = c is >= 'A' and <= 'Z' ? (char)(c | 0x20) : c;
                if (mapped is not ((>= 'a' and <= 'z') or (>= '0' and <= '9')))
                {
                    mapped = '\0';
                }
            }
            else if (c == KelvinSign)
            {
                mapped = 'k';
            }
            else if (c == CapitalIWithDot)
            {
                mapped = 'i';
                endsToken = true;
            }
            else
            {
                mapped = '\0';
            }

            if (mapped != '\0')
            {
                token[tokenLength++] = mapped;
                if (!endsToken)
                {
                    continue;
                }
            }

            if (tokenLength == 0)
            {
                continue;
            }

            ReadOnlySpan<char> word = token[..tokenLength];
            if (useStemmer && tokenLength > 3)
            {
                word = stemmed[..PorterStemmer.StemLowercaseAscii(word, stemmed)];
            }

            tokenLength = 0;
            if (word.IsEmpty)
            {
                continue;
            }

            var buffer = workspace.TokenBuffer(offset + count + 1, offset + count);
            buffer[offset + count] = workspace.Tokens.GetOrAdd(word);
            count++;
        }

        return count;
    }
}
