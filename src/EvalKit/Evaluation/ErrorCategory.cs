namespace EvalKit.Evaluation;

/// <summary>Why a model call failed.</summary>
public enum ErrorCategory
{
    /// <summary>The call took longer than the timeout.</summary>
    Timeout,

    /// <summary>The provider refused the call for exceeding a rate limit (HTTP 429).</summary>
    RateLimited,

    /// <summary>A failure that may succeed on retry (HTTP 5xx, network errors).</summary>
    Transient,

    /// <summary>The provider's content filter refused the prompt or the answer.</summary>
    ContentFilter,

    /// <summary>A failure that retrying cannot fix (bad request, authentication, configuration).</summary>
    Fatal,
}
