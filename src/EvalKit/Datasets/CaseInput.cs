namespace EvalKit.Datasets;

/// <summary>The input of a case: plain text, or a list of chat turns.</summary>
public sealed record CaseInput
{
    /// <summary>Gets the plain-text input, or <see langword="null"/> when the input is chat turns.</summary>
    public string? Text { get; init; }

    /// <summary>Gets the chat turns, or <see langword="null"/> when the input is plain text.</summary>
    public IReadOnlyList<ChatTurn>? Messages { get; init; }

    /// <summary>Creates a plain-text input.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The input.</returns>
    public static CaseInput FromText(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new CaseInput { Text = text };
    }

    /// <summary>Creates a chat input.</summary>
    /// <param name="messages">The turns, copied.</param>
    /// <returns>The input.</returns>
    public static CaseInput FromMessages(IEnumerable<ChatTurn> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return new CaseInput { Messages = [.. messages] };
    }

    /// <summary>Converts text to a plain-text input.</summary>
    /// <param name="text">The text.</param>
    public static implicit operator CaseInput(string text) => FromText(text);

    /// <summary>Gets the text a template's <c>{{input}}</c> stands for: the text, or the last user turn.</summary>
    /// <returns>The text.</returns>
    public string ToPromptText() =>
        Text ?? Messages?.LastOrDefault(m => m.Role == "user")?.Text ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(CaseInput? other) =>
        other is not null
        && Text == other.Text
        && (Messages is null ? other.Messages is null : other.Messages is not null && Messages.SequenceEqual(other.Messages));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Text, Messages?.Count);
}
