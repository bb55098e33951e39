using System.Text;
using System.Text.RegularExpressions;

namespace EvalKit.Storage.Postgres;

/// <summary>How EvalKit's values map onto PostgreSQL's types where the two differ.</summary>
internal static partial class PostgresValues
{
    /// <summary>Marks an escape in stored text: PostgreSQL's text types cannot hold a NUL character.</summary>
    internal const char Escape = '\uE000';

    /// <summary>
    /// Encodes text for a PostgreSQL text column. PostgreSQL's text cannot hold U+0000, so a NUL is stored as
    /// U+E000 followed by '0', and U+E000 itself as U+E000 U+E000. Every other string (nearly all of them) is stored
    /// unchanged; the encoding is injective, so equality and uniqueness of keys are kept. A lone surrogate, which UTF-8
    /// cannot carry, becomes U+FFFD as in every provider (see <see cref="UnicodeText"/>).
    /// </summary>
    /// <param name="value">The text.</param>
    /// <returns>The text to store.</returns>
    public static string? Encode(string? value)
    {
        value = UnicodeText.Replace(value);
        if (value is null || value.AsSpan().IndexOfAny('\0', Escape) < 0)
        {
            return value;
        }

        var builder = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\0':
                    builder.Append(Escape).Append('0');
                    break;
                case Escape:
                    builder.Append(Escape).Append(Escape);
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }

        return builder.ToString();
    }

    /// <summary>Decodes text written by <see cref="Encode"/>.</summary>
    /// <param name="stored">The stored text.</param>
    /// <returns>The original text.</returns>
    /// <exception cref="FormatException">The stored text has an escape that <see cref="Encode"/> does not write.</exception>
    public static string Decode(string stored)
    {
        var first = stored.IndexOf(Escape, StringComparison.Ordinal);
        if (first < 0)
        {
            return stored;
        }

        var builder = new StringBuilder(stored.Length);
        builder.Append(stored, 0, first);
        for (var i = first; i < stored.Length; i++)
        {
            var c = stored[i];
            if (c != Escape)
            {
                builder.Append(c);
                continue;
            }

            var next = i + 1 < stored.Length ? stored[i + 1] : '\uFFFF';
            builder.Append(next switch
            {
                '0' => '\0',
                Escape => Escape,
                _ => throw new FormatException($"Stored text has an invalid escape at position {i}."),
            });
            i++;
        }

        return builder.ToString();
    }

    /// <summary>
    /// Splits a time into what <c>timestamptz</c> keeps (microseconds, UTC) and the 100 ns ticks below it (0–9), which
    /// are stored beside it so that every <see cref="DateTimeOffset"/> comes back exactly.
    /// </summary>
    /// <param name="value">The time.</param>
    /// <returns>The time truncated to the microsecond, in UTC, and the remaining ticks.</returns>
    public static (DateTimeOffset Microseconds, short Ticks) Split(DateTimeOffset value)
    {
        var ticks = value.UtcTicks;
        var rest = ticks % 10;
        return (new DateTimeOffset(ticks - rest, TimeSpan.Zero), (short)rest);
    }

    /// <summary>Joins what <see cref="Split"/> stored.</summary>
    /// <param name="microseconds">The stored <c>timestamptz</c>.</param>
    /// <param name="ticks">The stored ticks below the microsecond.</param>
    /// <returns>The time, in UTC.</returns>
    public static DateTimeOffset Join(DateTimeOffset microseconds, short ticks) => new(microseconds.UtcTicks + ticks, TimeSpan.Zero);

    /// <summary>The first instant (UTC) of the month of a time.</summary>
    /// <param name="value">The time.</param>
    /// <returns>The month's start.</returns>
    public static DateTimeOffset MonthOf(DateTimeOffset value)
    {
        var utc = value.UtcDateTime;
        return new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Checks a schema name, so that it can be quoted into SQL as an identifier.</summary>
    /// <param name="schema">The name.</param>
    /// <param name="parameterName">The parameter to name in the exception.</param>
    /// <returns>The name, double-quoted.</returns>
    /// <exception cref="ArgumentException">The name is not a plain lower-case identifier.</exception>
    public static string QuoteSchema(string? schema, string parameterName = "schema")
    {
        if (schema is null || !SchemaName().IsMatch(schema) || schema.StartsWith("pg_", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"The PostgreSQL schema name '{schema}' is not allowed: use lower-case letters, digits and underscores, starting with a letter or an underscore, at most 63 characters, not starting with 'pg_'.",
                parameterName);
        }

        return $"\"{schema}\"";
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$", RegexOptions.CultureInvariant)]
    private static partial Regex SchemaName();
}
