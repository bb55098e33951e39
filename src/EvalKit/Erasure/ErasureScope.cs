namespace EvalKit.Erasure;

/// <summary>What an erasure removes (see <see cref="IErasureService"/>).</summary>
public enum ErasureScope
{
    /// <summary>Every record of one tenant.</summary>
    Tenant,

    /// <summary>Everything linked to one project of a tenant.</summary>
    Project,

    /// <summary>Everything linked to one model of a tenant.</summary>
    Model,
}
