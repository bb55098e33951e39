using EvalKit.Storage;

namespace EvalKit;

/// <summary>Raised when a project cannot be deleted because runs, A/B tests or experiments still belong to it.</summary>
public sealed class ProjectInUseException : EvalKitException
{
    /// <summary>Initializes a new instance of the <see cref="ProjectInUseException"/> class.</summary>
    /// <param name="projectId">The project that could not be deleted.</param>
    /// <param name="linked">What the store found linked to it.</param>
    /// <exception cref="ArgumentNullException"><paramref name="linked"/> is <see langword="null"/>.</exception>
    public ProjectInUseException(string projectId, ProjectDeleteResult linked)
        : base(Describe(projectId, linked))
    {
        ProjectId = projectId;
        Linked = linked;
    }

    /// <summary>Gets the project that could not be deleted.</summary>
    public string ProjectId { get; }

    /// <summary>Gets the records that belong to the project: counts, and up to <see cref="ProjectDeleteResult.MaxListed"/> ids of each kind.</summary>
    public ProjectDeleteResult Linked { get; }

    private static string Describe(string projectId, ProjectDeleteResult linked)
    {
        ArgumentNullException.ThrowIfNull(linked);
        var parts = new List<string>();
        Add(linked.RunCount, "run", linked.RunIds);
        Add(linked.AbTestCount, "A/B test", linked.AbTestIds);
        Add(linked.ExperimentCount, "experiment", linked.ExperimentIds);
        return $"Project '{projectId}' cannot be deleted: {string.Join("; ", parts)} belong{(linked.RunCount + linked.AbTestCount + linked.ExperimentCount == 1 ? "s" : string.Empty)} to it. "
            + "Erase the project with everything linked to it, or delete or move those records first.";

        void Add(long count, string kind, IReadOnlyList<string> ids)
        {
            if (count > 0)
            {
                var more = count > ids.Count ? $", and {count - ids.Count} more" : string.Empty;
                parts.Add($"{count} {kind}{(count == 1 ? string.Empty : "s")} ({string.Join(", ", ids.Select(id => $"'{id}'"))}{more})");
            }
        }
    }
}
