namespace EvalKit.Security;

/// <summary>The kinds of the mutating operations that EvalKit's services authorize and audit (<see cref="EvalKitOperation.Kind"/>).</summary>
public static class EvalKitOperationKinds
{
    /// <summary>A model is registered (<see cref="Registry.IModelRegistry.RegisterAsync"/>).</summary>
    public const string ModelRegister = "model.register";

    /// <summary>A model's metadata is changed (<c>IModelRegistry.UpdateAsync</c>).</summary>
    public const string ModelUpdate = "model.update";

    /// <summary>A model is deprecated (<c>IModelRegistry.DeprecateAsync</c>).</summary>
    public const string ModelDeprecate = "model.deprecate";

    /// <summary>A model is retired (<see cref="Registry.IModelRegistry.RetireAsync"/>).</summary>
    public const string ModelRetire = "model.retire";

    /// <summary>A model is deleted (<see cref="Registry.IModelRegistry.DeleteAsync"/>).</summary>
    public const string ModelDelete = "model.delete";

    /// <summary>A dataset version is imported (<c>IDatasetStore.ImportAsync</c>).</summary>
    public const string DatasetImport = "dataset.import";

    /// <summary>A benchmark suite is saved (<see cref="Datasets.IDatasetStore.SaveBenchmarkAsync"/>).</summary>
    public const string BenchmarkSave = "benchmark.save";

    /// <summary>A model is evaluated in this process (<see cref="Evaluation.IEvaluationEngine.EvaluateAsync"/>).</summary>
    public const string EvaluationEvaluate = "evaluation.evaluate";

    /// <summary>Several models are evaluated on one benchmark (<see cref="Evaluation.IEvaluationEngine.EvaluateBatchAsync"/>); each run is also authorized as <see cref="EvaluationEvaluate"/>.</summary>
    public const string EvaluationBatch = "evaluation.batch";

    /// <summary>A stopped run is resumed (<see cref="Evaluation.IEvaluationEngine.ResumeAsync"/>).</summary>
    public const string EvaluationResume = "evaluation.resume";

    /// <summary>A run is cancelled (<see cref="Evaluation.IEvaluationEngine.CancelAsync"/>).</summary>
    public const string EvaluationCancel = "evaluation.cancel";

    /// <summary>A distributed run is enqueued for workers (<see cref="Evaluation.IEvaluationEngine.EnqueueAsync"/>).</summary>
    public const string EvaluationEnqueue = "evaluation.enqueue";

    /// <summary>An A/B test is created (<see cref="Comparisons.IAbTestService.CreateAsync"/>).</summary>
    public const string AbTestCreate = "abtest.create";

    /// <summary>An A/B test is executed (<see cref="Comparisons.IAbTestService.ExecuteAsync"/>).</summary>
    public const string AbTestExecute = "abtest.execute";

    /// <summary>An experiment is created, directly or from a template (<see cref="Experiments.IExperimentService.CreateAsync"/>).</summary>
    public const string ExperimentCreate = "experiment.create";

    /// <summary>An experiment template is saved (<see cref="Experiments.IExperimentService.SaveTemplateAsync"/>).</summary>
    public const string ExperimentTemplateSave = "experiment.template.save";

    /// <summary>An experiment is executed (<see cref="Experiments.IExperimentService.ExecuteAsync"/>).</summary>
    public const string ExperimentExecute = "experiment.execute";

    /// <summary>A JSON export is imported (<see cref="Experiments.IExperimentService.ImportAsync"/>).</summary>
    public const string ExperimentImport = "experiment.import";

    /// <summary>A project is created (<see cref="Projects.IProjectService.CreateAsync"/>).</summary>
    public const string ProjectCreate = "project.create";

    /// <summary>A project is renamed (<see cref="Projects.IProjectService.RenameAsync"/>).</summary>
    public const string ProjectRename = "project.rename";

    /// <summary>A project's budget is set or removed (<see cref="Projects.IProjectService.SetBudgetAsync"/>).</summary>
    public const string ProjectBudgetSet = "project.budget.set";

    /// <summary>A project is deleted (<see cref="Projects.IProjectService.DeleteAsync"/>).</summary>
    public const string ProjectDelete = "project.delete";

    /// <summary>
    /// Not an operation but a notification, audited as one: a run found its project's spending at or above the soft limit
    /// (see <see cref="Projects.ProjectBudget.SoftLimit"/>); the entry names the project, and nothing is authorized.
    /// </summary>
    public const string ProjectBudgetSoftLimit = "project.budget.soft-limit";

    /// <summary>Metric points are recorded through the metrics service (<c>IMetricsService.Record*Async</c>).</summary>
    public const string MetricsRecord = "metrics.record";

    /// <summary>Metric points are deleted through the metrics service (<see cref="Metrics.IMetricsService.DeleteOlderThanAsync"/>, <see cref="Metrics.IMetricsService.ApplyRetentionAsync"/>).</summary>
    public const string MetricsDelete = "metrics.delete";

    /// <summary>A retention policy is applied (<see cref="Retention.IRetentionService"/>).</summary>
    public const string RetentionApply = "retention.apply";

    /// <summary>Data of one kind is deleted by retention; the audit entry carries the count (<see cref="AuditEntry.Count"/>).</summary>
    public const string RetentionDelete = "retention.delete";

    /// <summary>Every record of a tenant is erased (<see cref="Erasure.IErasureService.EraseTenantAsync"/>); the audit entry carries the total count.</summary>
    public const string ErasureTenant = "erasure.tenant";

    /// <summary>Everything linked to a project is erased (<see cref="Erasure.IErasureService.EraseProjectAsync"/>); the record id is the project's fingerprint.</summary>
    public const string ErasureProject = "erasure.project";

    /// <summary>Everything linked to a model is erased (<see cref="Erasure.IErasureService.EraseModelAsync"/>); the record id is the model's fingerprint.</summary>
    public const string ErasureModel = "erasure.model";

    /// <summary>Records of one kind (<see cref="Erasure.ErasureKinds"/>, the entry's record type) were erased; the entry carries the count.</summary>
    public const string ErasureDelete = "erasure.delete";
}
