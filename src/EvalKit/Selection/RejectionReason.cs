namespace EvalKit.Selection;

/// <summary>Why a model was not ranked.</summary>
public enum RejectionReason
{
    /// <summary>The request named the model among its candidates, but the registry does not know it.</summary>
    NotRegistered,

    /// <summary>The model lacks a required capability.</summary>
    MissingCapability,

    /// <summary>The model is retired, or deprecated and the request does not allow deprecated models.</summary>
    Status,

    /// <summary>The model failed at least one hard constraint (or its evidence was insufficient to test one).</summary>
    Constraint,

    /// <summary>Another feasible model is at least as good on every weighted criterion and better on one (Pareto option).</summary>
    Dominated,
}
