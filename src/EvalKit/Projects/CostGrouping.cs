namespace EvalKit.Projects;

/// <summary>The dimensions a <see cref="CostReport"/> groups by; combine them (<c>Project | Model | Period</c>).</summary>
[Flags]
public enum CostGrouping
{
    /// <summary>One line: the totals.</summary>
    None = 0,

    /// <summary>By project (runs without a project form a line with no project).</summary>
    Project = 1,

    /// <summary>By the evaluated model (judge and embedding costs count under the model whose answers they scored).</summary>
    Model = 2,

    /// <summary>By benchmark (runs without a benchmark form a line with no benchmark).</summary>
    Benchmark = 4,

    /// <summary>By dataset.</summary>
    Dataset = 8,

    /// <summary>By period (<see cref="CostQuery.Period"/>), from the UTC time each result completed.</summary>
    Period = 16,
}
