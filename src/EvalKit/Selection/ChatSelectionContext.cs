using Microsoft.Extensions.AI;

namespace EvalKit.Selection;

/// <summary>The chat request a <see cref="SelectingChatClient"/> is about to route, given to the request factory.</summary>
/// <param name="Messages">The messages of the request, materialized: safe to enumerate more than once.</param>
/// <param name="Options">The chat options of the request, if any.</param>
public readonly record struct ChatSelectionContext(IEnumerable<ChatMessage> Messages, ChatOptions? Options);
