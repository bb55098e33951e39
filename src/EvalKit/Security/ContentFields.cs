namespace EvalKit.Security;

/// <summary>The content fields of stored records that encryption and redaction apply to.</summary>
[Flags]
public enum ContentFields
{
    /// <summary>No field.</summary>
    None = 0,

    /// <summary>Case inputs: the plain-text input and the text of every chat turn.</summary>
    Inputs = 1,

    /// <summary>Case references (the expected outputs).</summary>
    References = 2,

    /// <summary>Answers: result outputs, score explanations (a judge may quote the answer) and the response cache's answers.</summary>
    Outputs = 4,

    /// <summary>Inputs, references and answers.</summary>
    All = Inputs | References | Outputs,
}
