using System.Text.Json.Serialization;
using EvalKit.Evaluation;
using EvalKit.Experiments;
using EvalKit.Metrics;
using EvalKit.Registry;
using EvalKit.Selection;
using EvalKit.Serialization;

namespace EvalKit.Caching;

/// <summary>
/// The JSON contracts of the answers EvalKit's cache keeps in a distributed second level, and of the arguments its keys are
/// made from (same settings as the store's).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    Converters = [typeof(StringSetConverter)])]
[JsonSerializable(typeof(IReadOnlyList<ModelDescriptor>))]
[JsonSerializable(typeof(EvaluationResults))]
[JsonSerializable(typeof(RunComparison))]
[JsonSerializable(typeof(RegressionGateResult))]
[JsonSerializable(typeof(IReadOnlyList<MetricBucket>))]
[JsonSerializable(typeof(IReadOnlyList<MetricRateBucket>))]
[JsonSerializable(typeof(MetricComparison))]
[JsonSerializable(typeof(AnomalyReport))]
[JsonSerializable(typeof(RunComparisonOptions))]
[JsonSerializable(typeof(RegressionGate))]
[JsonSerializable(typeof(MetricAggregateQuery))]
[JsonSerializable(typeof(MetricRateQuery))]
[JsonSerializable(typeof(MetricComparisonRequest))]
[JsonSerializable(typeof(AnomalyDetectionRequest))]
[JsonSerializable(typeof(CachedSelection))]
[JsonSerializable(typeof(SelectionCacheKey))]
internal sealed partial class CachingJsonContext : JsonSerializerContext;
