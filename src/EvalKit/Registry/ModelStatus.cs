namespace EvalKit.Registry;

/// <summary>The lifecycle status of a registered model.</summary>
public enum ModelStatus
{
    /// <summary>The model may be evaluated and selected.</summary>
    Active,

    /// <summary>The model still works but should be replaced; selection avoids it unless asked.</summary>
    Deprecated,

    /// <summary>The model is no longer available; it is kept for the history of its runs.</summary>
    Retired,
}
