namespace EvalKit.Reporting;

/// <summary>How many records of one kind an import wrote, and how many it found already stored with the same content.</summary>
/// <param name="Added">The records written.</param>
/// <param name="Unchanged">The records already stored, identical, left as they were.</param>
public readonly record struct ImportCount(int Added, int Unchanged);
