namespace EvalKit.Scoring;

/// <summary>
/// Per-thread scratch state of the text metrics: character buffers, token id buffers, the token and
/// n-gram interners and the per-n-gram count arrays. Reusing it makes scoring allocation-free once the
/// buffers have grown to the size of the inputs.
/// </summary>
internal sealed class TextWorkspace
{
    [ThreadStatic]
    private static TextWorkspace? t_current;

    private char[] _input = new char[512];
    private char[] _bufferA = new char[1024];
    private char[] _bufferB = new char[1024];
    private int[] _tokens = new int[256];
    private int[] _codePoints = new int[512];
    private int[] _referenceLengths = new int[8];
    private int[] _sentences = new int[16];
    private int[] _scratch = new int[1024];

    /// <summary>The workspace of the calling thread.</summary>
    public static TextWorkspace Current => t_current ??= new TextWorkspace();

    /// <summary>Interns the tokens of the segment being scored.</summary>
    public TokenInterner Tokens { get; } = new();

    /// <summary>Interns the n-grams of the segment being scored.</summary>
    public LongIdMap Ngrams { get; } = new(1024);

    /// <summary>Interns code points (chrF) to dense ids.</summary>
    public LongIdMap Characters { get; } = new(256);

    /// <summary>Count arrays indexed by n-gram id; their meaning belongs to the metric using them.</summary>
    public int[] CountA { get; private set; } = new int[1024];

    /// <summary>Second count array indexed by n-gram id.</summary>
    public int[] CountB { get; private set; } = new int[1024];

    /// <summary>Third count array indexed by n-gram id.</summary>
    public int[] CountC { get; private set; } = new int[1024];

    /// <summary>Per-id stamp array indexed by n-gram id.</summary>
    public int[] Stamp { get; private set; } = new int[1024];

    /// <summary>Ensures the per-id arrays can be indexed by <paramref name="id"/>.</summary>
    public void EnsureIdCapacity(int id)
    {
        if (id < CountA.Length)
        {
            return;
        }

        var size = Math.Max(CountA.Length * 2, id + 1);
        CountA = Grow(CountA, size);
        CountB = Grow(CountB, size);
        CountC = Grow(CountC, size);
        Stamp = Grow(Stamp, size);
    }

    /// <summary>A buffer for the lowercased input, at least <paramref name="length"/> long.</summary>
    public char[] Input(int length) => _input.Length >= length ? _input : _input = new char[Math.Max(length, _input.Length * 2)];

    /// <summary>First ping-pong buffer, at least <paramref name="length"/> long.</summary>
    public char[] BufferA(int length) => _bufferA.Length >= length ? _bufferA : _bufferA = new char[Math.Max(length, _bufferA.Length * 2)];

    /// <summary>Second ping-pong buffer, at least <paramref name="length"/> long.</summary>
    public char[] BufferB(int length) => _bufferB.Length >= length ? _bufferB : _bufferB = new char[Math.Max(length, _bufferB.Length * 2)];

    /// <summary>The token id buffer, at least <paramref name="length"/> long, keeping its first <paramref name="keep"/> ids.</summary>
    public int[] TokenBuffer(int length, int keep = 0)
    {
        if (_tokens.Length < length)
        {
            var grown = new int[Math.Max(length, _tokens.Length * 2)];
            Array.Copy(_tokens, grown, keep);
            _tokens = grown;
        }

        return _tokens;
    }

    /// <summary>A scratch int buffer of at least <paramref name="length"/> elements, content undefined.</summary>
    public int[] Scratch(int length) => _scratch.Length >= length ? _scratch : _scratch = new int[Math.Max(length, _scratch.Length * 2)];

    /// <summary>The sentence length buffer, at least <paramref name="length"/> long, keeping its first <paramref name="keep"/> values.</summary>
    public int[] SentenceBuffer(int length, int keep = 0)
    {
        if (_sentences.Length < length)
        {
            var grown = new int[Math.Max(length, _sentences.Length * 2)];
            Array.Copy(_sentences, grown, keep);
            _sentences = grown;
        }

        return _sentences;
    }

    /// <summary>The reference lengths recorded for the current segment.</summary>
    public int[] ReferenceLengths => _referenceLengths;

    /// <summary>The reference length buffer, at least <paramref name="length"/> long, keeping its content.</summary>
    public int[] ReferenceLengthBuffer(int length)
    {
        if (_referenceLengths.Length < length)
        {
            Array.Resize(ref _referenceLengths, Math.Max(length, _referenceLengths.Length * 2));
        }

        return _referenceLengths;
    }

    /// <summary>The code point buffer, at least <paramref name="length"/> long, keeping its first <paramref name="keep"/> values.</summary>
    public int[] CodePointBuffer(int length, int keep = 0)
    {
        if (_codePoints.Length < length)
        {
            var grown = new int[Math.Max(length, _codePoints.Length * 2)];
            Array.Copy(_codePoints, grown, keep);
            _codePoints = grown;
        }

        return _codePoints;
    }

    private static int[] Grow(int[] array, int size)
    {
        var grown = new int[size];
        Array.Copy(array, grown, array.Length);
        return grown;
    }
}
