using System.Text.Json.Serialization;
using EvalKit.Comparisons;
using EvalKit.Datasets;
using EvalKit.Evaluation;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Scoring;

namespace EvalKit.Serialization;

/// <summary>System.Text.Json source-generated metadata for EvalKit's records (camelCase, enums as strings, nulls omitted).</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    AllowTrailingCommas = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    Converters = [typeof(StringSetConverter)])]
[JsonSerializable(typeof(ModelDescriptor))]
[JsonSerializable(typeof(ModelRevision))]
[JsonSerializable(typeof(EvalCase))]
[JsonSerializable(typeof(DatasetInfo))]
[JsonSerializable(typeof(Benchmark))]
[JsonSerializable(typeof(EvaluationRun))]
[JsonSerializable(typeof(EvaluationOptions))]
[JsonSerializable(typeof(EvaluationSummary))]
[JsonSerializable(typeof(EvaluationResults))]
[JsonSerializable(typeof(CaseResult))]
[JsonSerializable(typeof(List<Score>))]
[JsonSerializable(typeof(MetricPoint))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(AbTest))]
[JsonSerializable(typeof(EvalKit.Experiments.Experiment))]
[JsonSerializable(typeof(EvalKit.Experiments.ExperimentTemplate))]
[JsonSerializable(typeof(EvalKit.Experiments.ExperimentRun))]
[JsonSerializable(typeof(EvalKit.Projects.Project))]
public sealed partial class EvalKitJsonContext : JsonSerializerContext
{
}
