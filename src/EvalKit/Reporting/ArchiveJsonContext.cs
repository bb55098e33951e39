using System.Text.Json.Serialization;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Registry;
using EvalKit.Serialization;

namespace EvalKit.Reporting;

/// <summary>
/// JSON metadata of the export document: EvalKit's conventions (camelCase, enums as strings, nulls omitted) made strict for
/// reading — unknown members, missing required members and nulls where a value is required are errors — and NaN and
/// infinities written as strings, so that summaries of runs without values round-trip.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    RespectNullableAnnotations = true,
    RespectRequiredConstructorParameters = true,
    Converters = [typeof(StringSetConverter)])]
[JsonSerializable(typeof(ExportArchive))]
[JsonSerializable(typeof(ArchivedModel))]
[JsonSerializable(typeof(ArchivedDataset))]
[JsonSerializable(typeof(ArchivedRun))]
[JsonSerializable(typeof(ModelRevision))]
[JsonSerializable(typeof(DatasetInfo))]
[JsonSerializable(typeof(EvalCase))]
[JsonSerializable(typeof(Benchmark))]
[JsonSerializable(typeof(EvaluationRun))]
[JsonSerializable(typeof(CaseResult))]
[JsonSerializable(typeof(ExperimentTemplate))]
[JsonSerializable(typeof(Experiment))]
[JsonSerializable(typeof(ExperimentRun))]
[JsonSerializable(typeof(AbTest))]
[JsonSerializable(typeof(IReadOnlyList<string>))]
internal sealed partial class ArchiveJsonContext : JsonSerializerContext
{
}
