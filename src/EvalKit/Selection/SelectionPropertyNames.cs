namespace EvalKit.Selection;

/// <summary>
/// The <c>ChatOptions.AdditionalProperties</c> keys that override selection per request, and the
/// <c>ChatResponse.AdditionalProperties</c> keys by which <see cref="SelectingChatClient"/> reports its choice.
/// </summary>
/// <remarks>
/// Override values may be of the natural type or a string: numbers as any numeric type or an invariant-culture string,
/// id lists as a string (comma-separated) or any <c>IEnumerable&lt;string&gt;</c>. An invalid value throws an
/// <see cref="ArgumentException"/> that names the key.
/// </remarks>
public static class SelectionPropertyNames
{
    /// <summary>Request key: a whole <see cref="SelectionRequest"/> that replaces the one from the request factory.</summary>
    public const string Request = "evalkit.selection.request";

    /// <summary>Request key: the model ids to choose among (<see cref="SelectionRequest.CandidateModelIds"/>); a single id pins the model, within the constraints.</summary>
    public const string Candidates = "evalkit.selection.candidates";

    /// <summary>Request key: capabilities required in addition to the request's (<see cref="SelectionRequest.RequiredCapabilities"/>).</summary>
    public const string Capabilities = "evalkit.selection.capabilities";

    /// <summary>Request key: the task class (<see cref="SelectionRequest.TaskClass"/>).</summary>
    public const string TaskClass = "evalkit.selection.task_class";

    /// <summary>Request key: the maximum cost per 1,000 requests (<see cref="SelectionRequest.MaxCostPer1kRequests"/>).</summary>
    public const string MaxCostPer1kRequests = "evalkit.selection.max_cost_per_1k_requests";

    /// <summary>Request key: the maximum p95 latency in milliseconds (<see cref="SelectionRequest.MaxP95Latency"/>).</summary>
    public const string MaxP95LatencyMilliseconds = "evalkit.selection.max_p95_latency_ms";

    /// <summary>Request key: the minimum quality (<see cref="SelectionRequest.MinQuality"/>).</summary>
    public const string MinQuality = "evalkit.selection.min_quality";

    /// <summary>Request key: the selection mode, <c>"ranked"</c> or <c>"online"</c> (<see cref="SelectionRequest.Mode"/>).</summary>
    public const string Mode = "evalkit.selection.mode";

    /// <summary>Response key: the id of the model that answered (also in <c>ChatResponse.ModelId</c> and every streamed update's <c>ModelId</c>).</summary>
    public const string SelectedModel = "evalkit.selection.model";

    /// <summary>Response key: the number of models tried, 1 when the first choice answered.</summary>
    public const string Attempts = "evalkit.selection.attempts";

    /// <summary>Response key: the model id the provider reported, when it differs from the registry id.</summary>
    public const string ProviderModelId = "evalkit.selection.provider_model_id";
}
