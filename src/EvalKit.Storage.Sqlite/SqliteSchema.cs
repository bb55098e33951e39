namespace EvalKit.Storage.Sqlite;

/// <summary>The numbered schema migrations, applied in order at start-up; applied versions are kept in <c>schema_version</c>.</summary>
internal static class SqliteSchema
{
    public static readonly (int Version, string Description, string Sql)[] Migrations =
    [
        (1, "Models, datasets, benchmarks, runs, results and metrics", """
            CREATE TABLE evaluation_models (
                id TEXT NOT NULL PRIMARY KEY,
                revision INTEGER NOT NULL,
                provider TEXT,
                status TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE TABLE model_revisions (
                model_id TEXT NOT NULL,
                revision INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (model_id, revision)
            ) WITHOUT ROWID;
            CREATE TABLE evaluation_datasets (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                version TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                case_count INTEGER NOT NULL,
                description TEXT,
                created_at INTEGER NOT NULL
            );
            CREATE TABLE evaluation_cases (
                dataset_id TEXT NOT NULL,
                ordinal INTEGER NOT NULL,
                case_id TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (dataset_id, ordinal)
            ) WITHOUT ROWID;
            CREATE UNIQUE INDEX ix_evaluation_cases_case_id ON evaluation_cases (dataset_id, case_id);
            CREATE TABLE benchmark_suites (
                id TEXT NOT NULL PRIMARY KEY,
                dataset_id TEXT NOT NULL,
                data TEXT NOT NULL
            );
            CREATE TABLE evaluation_runs (
                id TEXT NOT NULL PRIMARY KEY,
                model_id TEXT NOT NULL,
                dataset_id TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_evaluation_runs_model ON evaluation_runs (model_id, created_at);
            CREATE INDEX ix_evaluation_runs_dataset ON evaluation_runs (dataset_id, created_at);
            CREATE TABLE evaluation_results (
                run_id TEXT NOT NULL,
                case_ordinal INTEGER NOT NULL,
                repetition INTEGER NOT NULL,
                case_id TEXT NOT NULL,
                case_group TEXT,
                output TEXT,
                scores TEXT NOT NULL,
                latency_ticks INTEGER,
                input_tokens INTEGER,
                output_tokens INTEGER,
                cost TEXT,
                error_category TEXT,
                error_message TEXT,
                retry_count INTEGER NOT NULL,
                cached INTEGER NOT NULL,
                completed_at INTEGER NOT NULL,
                PRIMARY KEY (run_id, case_ordinal, repetition)
            ) WITHOUT ROWID;
            CREATE TABLE model_metrics (
                id INTEGER PRIMARY KEY,
                model_id TEXT NOT NULL,
                name TEXT NOT NULL,
                value REAL NOT NULL,
                timestamp INTEGER NOT NULL,
                run_id TEXT,
                tags TEXT
            );
            CREATE INDEX ix_model_metrics_model_name_time ON model_metrics (model_id, name, timestamp);
            """),
        (2, "Response cache and time to first token", """
            CREATE TABLE response_cache (
                key TEXT NOT NULL PRIMARY KEY,
                model_id TEXT NOT NULL,
                text TEXT NOT NULL,
                input_tokens INTEGER,
                output_tokens INTEGER,
                created_at INTEGER NOT NULL
            ) WITHOUT ROWID;
            ALTER TABLE evaluation_results ADD COLUMN ttft_ticks INTEGER;
            """),
        (3, "A/B tests", """
            CREATE TABLE ab_tests (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_ab_tests_created ON ab_tests (created_at);
            """),
        (4, "Model revision records (who, what) and the model change counter", """
            CREATE TABLE model_change_counter (
                id INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
                value INTEGER NOT NULL
            );
            INSERT INTO model_change_counter (id, value) VALUES (1, 0);
            ALTER TABLE model_revisions ADD COLUMN changed_by TEXT;
            ALTER TABLE model_revisions ADD COLUMN change_kind TEXT;
            ALTER TABLE model_revisions ADD COLUMN description TEXT;
            ALTER TABLE model_revisions ADD COLUMN changes TEXT;
            """),
        (5, "Covering index of metric series for range reads and aggregates", """
            DROP INDEX IF EXISTS ix_model_metrics_model_name_time;
            CREATE INDEX ix_model_metrics_series ON model_metrics (model_id, name, timestamp, value);
            """),
        (6, "Experiments, experiment templates and experiment runs", """
            CREATE TABLE experiments (
                id TEXT NOT NULL PRIMARY KEY,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE INDEX ix_experiments_created ON experiments (created_at);
            CREATE TABLE experiment_templates (
                id TEXT NOT NULL PRIMARY KEY,
                updated_at INTEGER NOT NULL,
                data TEXT NOT NULL
            );
            CREATE TABLE experiment_runs (
                experiment_id TEXT NOT NULL,
                run_id TEXT NOT NULL,
                variant_index INTEGER NOT NULL,
                status TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (experiment_id, run_id)
            ) WITHOUT ROWID;
            CREATE INDEX ix_experiment_runs_order ON experiment_runs (experiment_id, variant_index, run_id);
            """),
        (7, "Shards of distributed runs", """
            CREATE TABLE run_shards (
                run_id TEXT NOT NULL,
                shard_index INTEGER NOT NULL,
                from_ordinal INTEGER NOT NULL,
                to_ordinal INTEGER NOT NULL,
                finalizes INTEGER NOT NULL,
                state INTEGER NOT NULL,
                worker_id TEXT,
                lease_expires_at INTEGER,
                claims INTEGER NOT NULL,
                completed_at INTEGER,
                PRIMARY KEY (run_id, shard_index)
            );
            CREATE INDEX ix_run_shards_claimable ON run_shards (state, run_id, shard_index);
            """),
    ];
}
