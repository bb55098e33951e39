namespace EvalKit.Datasets;

/// <summary>One turn of a chat-formatted case input.</summary>
/// <param name="Role">The role: <c>system</c>, <c>user</c> or <c>assistant</c>.</param>
/// <param name="Text">The turn's text.</param>
public sealed record ChatTurn(string Role, string Text);
