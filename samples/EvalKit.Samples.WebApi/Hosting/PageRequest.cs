using System.Globalization;

namespace EvalKit.Samples.WebApi.Hosting;

/// <summary>A page of a list: <c>?page=</c> (from 1) and <c>?page_size=</c> (1 to <see cref="MaxPageSize"/>).</summary>
/// <param name="Page">The page number, from 1.</param>
/// <param name="PageSize">The number of items per page.</param>
internal sealed record PageRequest(int Page, int PageSize)
{
    /// <summary>The page size when none is asked.</summary>
    public const int DefaultPageSize = 20;

    /// <summary>The largest page size.</summary>
    public const int MaxPageSize = 100;

    /// <summary>Gets the number of items before the page.</summary>
    public long Skip => (long)(Page - 1) * PageSize;

    /// <summary>Parses the query parameters; a problem is added to <paramref name="errors"/> under the parameter's name.</summary>
    /// <param name="page">The <c>page</c> parameter, if given.</param>
    /// <param name="pageSize">The <c>page_size</c> parameter, if given.</param>
    /// <param name="errors">Collects the problems.</param>
    /// <returns>The page; meaningful only when no problem was added.</returns>
    public static PageRequest Parse(string? page, string? pageSize, FieldErrors errors)
    {
        var number = ParseInt(page, "page", 1, 1, int.MaxValue, errors);
        var size = ParseInt(pageSize, "page_size", DefaultPageSize, 1, MaxPageSize, errors);
        return new PageRequest(number, size);
    }

    /// <summary>Takes this page out of a list.</summary>
    /// <typeparam name="T">The item type.</typeparam>
    /// <param name="items">Every item.</param>
    /// <returns>The items of the page (none past the last page).</returns>
    public IReadOnlyList<T> Slice<T>(IReadOnlyList<T> items) =>
        Skip >= items.Count ? [] : [.. items.Skip((int)Skip).Take(PageSize)];

    private static int ParseInt(string? text, string field, int fallback, int min, int max, FieldErrors errors)
    {
        if (text is null)
        {
            return fallback;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            errors.Add(field, max == int.MaxValue
                ? $"must be a whole number of at least {min} (was '{text}')."
                : $"must be a whole number from {min} to {max} (was '{text}').");
            return fallback;
        }

        return value;
    }
}
