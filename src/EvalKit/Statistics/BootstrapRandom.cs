namespace EvalKit.Statistics;

/// <summary>
/// xoshiro256** (Blackman and Vigna) seeded through SplitMix64: a small, fast generator whose output is fixed by its
/// definition, so bootstrap results are identical across runs, platforms and .NET versions (unlike System.Random).
/// </summary>
internal struct BootstrapRandom
{
    private ulong _s0;
    private ulong _s1;
    private ulong _s2;
    private ulong _s3;

    public BootstrapRandom(ulong seed)
    {
        var state = seed;
        _s0 = SplitMix64(ref state);
        _s1 = SplitMix64(ref state);
        _s2 = SplitMix64(ref state);
        _s3 = SplitMix64(ref state);
    }

    /// <summary>A generator for one independent stream (e.g. one block of resamples) of a seed.</summary>
    public static BootstrapRandom ForStream(int seed, long stream)
    {
        var state = unchecked(((ulong)(uint)seed * 0x9E3779B97F4A7C15UL) ^ ((ulong)stream * 0xD1B54A32D192ED03UL));
        return new BootstrapRandom(SplitMix64(ref state));
    }

    public ulong NextUInt64()
    {
        var result = unchecked(RotateLeft(_s1 * 5, 7) * 9);
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>An unbiased integer in [0, n) by Lemire's multiply-and-reject method; n must be positive.</summary>
    public int NextIndex(int n)
    {
        var bound = (uint)n;
        var product = (ulong)(uint)(NextUInt64() >> 32) * bound;
        var low = (uint)product;
        if (low < bound)
        {
            var threshold = unchecked(0u - bound) % bound;
            while (low < threshold)
            {
                product = (ulong)(uint)(NextUInt64() >> 32) * bound;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }

    /// <summary>A double uniform in [0, 1) with 53 random bits.</summary>
    public double NextDouble() => (NextUInt64() >> 11) * (1.0 / (1UL << 53));

    private static ulong RotateLeft(ulong x, int k) => (x << k) | (x >> (64 - k));

    private static ulong SplitMix64(ref ulong state)
    {
        unchecked
        {
            state += 0x9E3779B97F4A7C15UL;
            var z = state;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
