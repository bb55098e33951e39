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
        (8, "Tenants: every record belongs to a tenant, which leads every key and index; existing records go to tenant 'default'", """
            CREATE TABLE evaluation_models_v8 (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                revision INTEGER NOT NULL,
                provider TEXT,
                status TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            INSERT INTO evaluation_models_v8 (tenant_id, id, revision, provider, status, updated_at, data)
                SELECT 'default', id, revision, provider, status, updated_at, data FROM evaluation_models;
            DROP TABLE evaluation_models;
            ALTER TABLE evaluation_models_v8 RENAME TO evaluation_models;

            CREATE TABLE model_revisions_v8 (
                tenant_id TEXT NOT NULL,
                model_id TEXT NOT NULL,
                revision INTEGER NOT NULL,
                updated_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                changed_by TEXT,
                change_kind TEXT,
                description TEXT,
                changes TEXT,
                PRIMARY KEY (tenant_id, model_id, revision)
            ) WITHOUT ROWID;
            INSERT INTO model_revisions_v8 (tenant_id, model_id, revision, updated_at, data, changed_by, change_kind, description, changes)
                SELECT 'default', model_id, revision, updated_at, data, changed_by, change_kind, description, changes FROM model_revisions;
            DROP TABLE model_revisions;
            ALTER TABLE model_revisions_v8 RENAME TO model_revisions;

            CREATE TABLE model_change_counter_v8 (
                tenant_id TEXT NOT NULL PRIMARY KEY,
                value INTEGER NOT NULL
            ) WITHOUT ROWID;
            INSERT INTO model_change_counter_v8 (tenant_id, value) SELECT 'default', value FROM model_change_counter WHERE id = 1;
            DROP TABLE model_change_counter;
            ALTER TABLE model_change_counter_v8 RENAME TO model_change_counter;

            CREATE TABLE evaluation_datasets_v8 (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                name TEXT NOT NULL,
                version TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                case_count INTEGER NOT NULL,
                description TEXT,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            INSERT INTO evaluation_datasets_v8 (tenant_id, id, name, version, content_hash, case_count, description, created_at)
                SELECT 'default', id, name, version, content_hash, case_count, description, created_at FROM evaluation_datasets;
            DROP TABLE evaluation_datasets;
            ALTER TABLE evaluation_datasets_v8 RENAME TO evaluation_datasets;

            CREATE TABLE evaluation_cases_v8 (
                tenant_id TEXT NOT NULL,
                dataset_id TEXT NOT NULL,
                ordinal INTEGER NOT NULL,
                case_id TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, dataset_id, ordinal)
            ) WITHOUT ROWID;
            INSERT INTO evaluation_cases_v8 (tenant_id, dataset_id, ordinal, case_id, data)
                SELECT 'default', dataset_id, ordinal, case_id, data FROM evaluation_cases;
            DROP TABLE evaluation_cases;
            ALTER TABLE evaluation_cases_v8 RENAME TO evaluation_cases;
            CREATE UNIQUE INDEX ix_evaluation_cases_case_id ON evaluation_cases (tenant_id, dataset_id, case_id);

            CREATE TABLE benchmark_suites_v8 (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                dataset_id TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            INSERT INTO benchmark_suites_v8 (tenant_id, id, dataset_id, data) SELECT 'default', id, dataset_id, data FROM benchmark_suites;
            DROP TABLE benchmark_suites;
            ALTER TABLE benchmark_suites_v8 RENAME TO benchmark_suites;

            CREATE TABLE evaluation_runs_v8 (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                model_id TEXT NOT NULL,
                dataset_id TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            INSERT INTO evaluation_runs_v8 (tenant_id, id, model_id, dataset_id, status, created_at, data)
                SELECT 'default', id, model_id, dataset_id, status, created_at, data FROM evaluation_runs;
            DROP TABLE evaluation_runs;
            ALTER TABLE evaluation_runs_v8 RENAME TO evaluation_runs;
            CREATE INDEX ix_evaluation_runs_model ON evaluation_runs (tenant_id, model_id, created_at);
            CREATE INDEX ix_evaluation_runs_dataset ON evaluation_runs (tenant_id, dataset_id, created_at);

            CREATE TABLE evaluation_results_v8 (
                tenant_id TEXT NOT NULL,
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
                ttft_ticks INTEGER,
                PRIMARY KEY (tenant_id, run_id, case_ordinal, repetition)
            ) WITHOUT ROWID;
            INSERT INTO evaluation_results_v8 (tenant_id, run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks,
                    input_tokens, output_tokens, cost, error_category, error_message, retry_count, cached, completed_at, ttft_ticks)
                SELECT 'default', run_id, case_ordinal, repetition, case_id, case_group, output, scores, latency_ticks,
                    input_tokens, output_tokens, cost, error_category, error_message, retry_count, cached, completed_at, ttft_ticks
                FROM evaluation_results;
            DROP TABLE evaluation_results;
            ALTER TABLE evaluation_results_v8 RENAME TO evaluation_results;

            -- Metric points keep their table (no key to change; it may be large): the tenant is a new column, and the covering
            -- series index leads with it.
            ALTER TABLE model_metrics ADD COLUMN tenant_id TEXT NOT NULL DEFAULT 'default';
            DROP INDEX IF EXISTS ix_model_metrics_series;
            CREATE INDEX ix_model_metrics_series ON model_metrics (tenant_id, model_id, name, timestamp, value);

            CREATE TABLE response_cache_v8 (
                tenant_id TEXT NOT NULL,
                key TEXT NOT NULL,
                model_id TEXT NOT NULL,
                text TEXT NOT NULL,
                input_tokens INTEGER,
                output_tokens INTEGER,
                created_at INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, key)
            ) WITHOUT ROWID;
            INSERT INTO response_cache_v8 (tenant_id, key, model_id, text, input_tokens, output_tokens, created_at)
                SELECT 'default', key, model_id, text, input_tokens, output_tokens, created_at FROM response_cache;
            DROP TABLE response_cache;
            ALTER TABLE response_cache_v8 RENAME TO response_cache;

            CREATE TABLE ab_tests_v8 (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            INSERT INTO ab_tests_v8 (tenant_id, id, name, status, created_at, data) SELECT 'default', id, name, status, created_at, data FROM ab_tests;
            DROP TABLE ab_tests;
            ALTER TABLE ab_tests_v8 RENAME TO ab_tests;
            CREATE INDEX ix_ab_tests_created ON ab_tests (tenant_id, created_at);

            CREATE TABLE experiments_v8 (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                name TEXT NOT NULL,
                status TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            INSERT INTO experiments_v8 (tenant_id, id, name, status, created_at, data) SELECT 'default', id, name, status, created_at, data FROM experiments;
            DROP TABLE experiments;
            ALTER TABLE experiments_v8 RENAME TO experiments;
            CREATE INDEX ix_experiments_created ON experiments (tenant_id, created_at);

            CREATE TABLE experiment_templates_v8 (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                updated_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            INSERT INTO experiment_templates_v8 (tenant_id, id, updated_at, data) SELECT 'default', id, updated_at, data FROM experiment_templates;
            DROP TABLE experiment_templates;
            ALTER TABLE experiment_templates_v8 RENAME TO experiment_templates;

            CREATE TABLE experiment_runs_v8 (
                tenant_id TEXT NOT NULL,
                experiment_id TEXT NOT NULL,
                run_id TEXT NOT NULL,
                variant_index INTEGER NOT NULL,
                status TEXT NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, experiment_id, run_id)
            ) WITHOUT ROWID;
            INSERT INTO experiment_runs_v8 (tenant_id, experiment_id, run_id, variant_index, status, data)
                SELECT 'default', experiment_id, run_id, variant_index, status, data FROM experiment_runs;
            DROP TABLE experiment_runs;
            ALTER TABLE experiment_runs_v8 RENAME TO experiment_runs;
            CREATE INDEX ix_experiment_runs_order ON experiment_runs (tenant_id, experiment_id, variant_index, run_id);

            CREATE TABLE run_shards_v8 (
                tenant_id TEXT NOT NULL,
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
                PRIMARY KEY (tenant_id, run_id, shard_index)
            );
            INSERT INTO run_shards_v8 (tenant_id, run_id, shard_index, from_ordinal, to_ordinal, finalizes, state, worker_id, lease_expires_at, claims, completed_at)
                SELECT 'default', run_id, shard_index, from_ordinal, to_ordinal, finalizes, state, worker_id, lease_expires_at, claims, completed_at FROM run_shards;
            DROP TABLE run_shards;
            ALTER TABLE run_shards_v8 RENAME TO run_shards;
            CREATE INDEX ix_run_shards_claimable ON run_shards (tenant_id, state, run_id, shard_index);
            """),
        (9, "Audit log: append-only entries per tenant, read newest first", """
            CREATE TABLE audit_log (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                tenant_id TEXT NOT NULL,
                occurred_at INTEGER NOT NULL,
                actor TEXT NOT NULL,
                operation TEXT NOT NULL,
                record_type TEXT NOT NULL,
                record_id TEXT,
                outcome TEXT NOT NULL,
                error_type TEXT,
                count INTEGER
            );
            -- Every query names the tenant and reads newest first; retention deletes by time.
            CREATE INDEX ix_audit_log_time ON audit_log (tenant_id, occurred_at, id);
            -- Entries are append-only: an update fails; only retention deletes (by age).
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
            BEGIN
                SELECT RAISE(ABORT, 'audit_log entries are append-only');
            END;
            """),
        (10, "Projects per tenant; runs, A/B tests and experiments may belong to one (project_id)", """
            CREATE TABLE projects (
                tenant_id TEXT NOT NULL,
                id TEXT NOT NULL,
                name TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                data TEXT NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            CREATE INDEX ix_projects_created ON projects (tenant_id, created_at);
            -- A nullable column added without a default rewrites no row; the indexes hold only the records of a project, and a
            -- query naming a project (project_id = ...) implies the indexes' condition, so it can use them.
            ALTER TABLE evaluation_runs ADD COLUMN project_id TEXT;
            CREATE INDEX ix_evaluation_runs_project ON evaluation_runs (tenant_id, project_id, created_at) WHERE project_id IS NOT NULL;
            ALTER TABLE ab_tests ADD COLUMN project_id TEXT;
            CREATE INDEX ix_ab_tests_project ON ab_tests (tenant_id, project_id, created_at) WHERE project_id IS NOT NULL;
            ALTER TABLE experiments ADD COLUMN project_id TEXT;
            CREATE INDEX ix_experiments_project ON experiments (tenant_id, project_id, created_at) WHERE project_id IS NOT NULL;
            """),
        (11, "Change counters per tenant and scope, which caches validate their answers against; run records advance theirs by trigger", """
            -- scope: 'epoch', 'runs', 'run:<run id>' or 'metrics:<model id>'. A new counter starts at a random value, so one that is
            -- deleted with its data and created again does not repeat a value that an old cached answer was stamped with.
            CREATE TABLE change_counters (
                tenant_id TEXT NOT NULL,
                scope TEXT NOT NULL,
                value INTEGER NOT NULL,
                PRIMARY KEY (tenant_id, scope)
            ) WITHOUT ROWID;
            CREATE TRIGGER change_counters_run_insert AFTER INSERT ON evaluation_runs
            BEGIN
                INSERT INTO change_counters (tenant_id, scope, value) VALUES (NEW.tenant_id, 'run:' || NEW.id, random() >> 2), (NEW.tenant_id, 'runs', random() >> 2)
                    ON CONFLICT (tenant_id, scope) DO UPDATE SET value = value + 1;
            END;
            CREATE TRIGGER change_counters_run_update AFTER UPDATE ON evaluation_runs
            BEGIN
                INSERT INTO change_counters (tenant_id, scope, value) VALUES (NEW.tenant_id, 'run:' || NEW.id, random() >> 2), (NEW.tenant_id, 'runs', random() >> 2)
                    ON CONFLICT (tenant_id, scope) DO UPDATE SET value = value + 1;
            END;
            -- A deleted run leaves no counter behind; the tenant's epoch moves instead, which invalidates every answer about it.
            CREATE TRIGGER change_counters_run_delete AFTER DELETE ON evaluation_runs
            BEGIN
                DELETE FROM change_counters WHERE tenant_id = OLD.tenant_id AND scope = 'run:' || OLD.id;
                INSERT INTO change_counters (tenant_id, scope, value) VALUES (OLD.tenant_id, 'runs', random() >> 2), (OLD.tenant_id, 'epoch', random() >> 2)
                    ON CONFLICT (tenant_id, scope) DO UPDATE SET value = value + 1;
            END;
            """),
        (12, "Audit log: an erasure may replace an entry's record id with '(erased)', and change nothing else", """
            DROP TRIGGER audit_log_append_only;
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON audit_log
            WHEN NOT (NEW.record_id IS '(erased)' AND OLD.record_id IS NOT NULL
                AND NEW.id IS OLD.id AND NEW.tenant_id IS OLD.tenant_id AND NEW.occurred_at IS OLD.occurred_at AND NEW.actor IS OLD.actor
                AND NEW.operation IS OLD.operation AND NEW.record_type IS OLD.record_type AND NEW.outcome IS OLD.outcome
                AND NEW.error_type IS OLD.error_type AND NEW.count IS OLD.count)
            BEGIN
                SELECT RAISE(ABORT, 'audit_log entries are append-only: only an erasure may replace a record id, with ''(erased)''');
            END;
            """),
    ];
}
