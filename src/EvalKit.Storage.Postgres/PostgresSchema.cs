namespace EvalKit.Storage.Postgres;

/// <summary>
/// The numbered schema migrations, applied in order at start-up; applied versions are kept in <c>schema_version</c>.
/// The SQL names the schema as <c>{schema}</c> (a validated, double-quoted identifier) and <c>{schema_name}</c> (the same
/// name as a string literal), replaced by <see cref="For"/>. Values never go into this text: statements bind them.
/// </summary>
/// <remarks>
/// Types: identifiers and other keys are <c>text COLLATE "C"</c> (ordinal order, like the other providers, and cheaper
/// comparisons); documents are <c>json</c>, not <c>jsonb</c>, because <c>json</c> keeps the text as written, including the
/// <c>\u0000</c> escape that <c>jsonb</c> rejects, and documents are only ever read back whole. Metric tags, which queries
/// filter on with <c>@&gt;</c>, are <c>jsonb</c>: their keys and values are encoded by <see cref="PostgresValues.Encode"/>
/// first, so they never hold a NUL. A <c>timestamptz</c> keeps
/// microseconds; the 100 ns ticks below them go in a <c>smallint</c> beside it (<c>*_ns100</c>, 0–9) wherever the exact
/// time is read back or ordered on. Durations are <c>bigint</c> ticks and costs <c>numeric</c>: both exact.
/// </remarks>
internal static class PostgresSchema
{
    /// <summary>The class id of EvalKit's advisory locks (the bytes of "EVK1"); the object id is a hash of the schema.</summary>
    public const int LockClass = 0x45564B31;

    private static readonly (int Version, string Description, string Sql)[] Templates =
    [
        (1, "Models with revision records and change counter, datasets, benchmarks, runs and results", """
            CREATE TABLE {schema}.evaluation_models (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                revision integer NOT NULL,
                provider text,
                status text NOT NULL,
                updated_at timestamptz NOT NULL,
                data json NOT NULL
            );
            CREATE TABLE {schema}.model_revisions (
                model_id text COLLATE "C" NOT NULL,
                revision integer NOT NULL,
                updated_at timestamptz NOT NULL,
                data json NOT NULL,
                changed_by text NOT NULL,
                change_kind text NOT NULL,
                description text NOT NULL,
                changes json NOT NULL,
                PRIMARY KEY (model_id, revision)
            );
            -- One row, advanced in the transaction of every model write: registry caches poll it.
            CREATE TABLE {schema}.model_change_counter (
                id integer NOT NULL PRIMARY KEY CHECK (id = 1),
                value bigint NOT NULL
            );
            INSERT INTO {schema}.model_change_counter (id, value) VALUES (1, 0);
            CREATE TABLE {schema}.evaluation_datasets (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                name text NOT NULL,
                version text NOT NULL,
                content_hash text NOT NULL,
                case_count bigint NOT NULL,
                description text,
                created_at timestamptz NOT NULL,
                created_at_ns100 smallint NOT NULL
            );
            CREATE TABLE {schema}.evaluation_cases (
                dataset_id text COLLATE "C" NOT NULL,
                ordinal bigint NOT NULL,
                case_id text COLLATE "C" NOT NULL,
                data json NOT NULL,
                PRIMARY KEY (dataset_id, ordinal),
                CONSTRAINT evaluation_cases_case_id_key UNIQUE (dataset_id, case_id)
            );
            CREATE TABLE {schema}.benchmark_suites (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                dataset_id text COLLATE "C" NOT NULL,
                data json NOT NULL
            );
            CREATE TABLE {schema}.evaluation_runs (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                model_id text COLLATE "C" NOT NULL,
                dataset_id text COLLATE "C" NOT NULL,
                status text NOT NULL,
                created_at timestamptz NOT NULL,
                created_at_ns100 smallint NOT NULL,
                data json NOT NULL
            );
            CREATE INDEX ix_evaluation_runs_model ON {schema}.evaluation_runs (model_id, created_at);
            CREATE INDEX ix_evaluation_runs_dataset ON {schema}.evaluation_runs (dataset_id, created_at);
            CREATE TABLE {schema}.evaluation_results (
                run_id text COLLATE "C" NOT NULL,
                case_ordinal bigint NOT NULL,
                repetition integer NOT NULL,
                case_id text NOT NULL,
                case_group text,
                output text,
                scores json NOT NULL,
                latency_ticks bigint,
                ttft_ticks bigint,
                input_tokens bigint,
                output_tokens bigint,
                cost numeric,
                error_category text,
                error_message text,
                retry_count integer NOT NULL,
                cached boolean NOT NULL,
                completed_at timestamptz NOT NULL,
                completed_at_ns100 smallint NOT NULL,
                PRIMARY KEY (run_id, case_ordinal, repetition)
            );
            """),
        (2, "Metric time series, partitioned by month", """
            CREATE SEQUENCE {schema}.model_metrics_id_seq AS bigint;
            -- Declarative partitioning by time: one partition per calendar month (UTC), created ahead at start-up and on
            -- demand by ensure_model_metrics_partitions, and a DEFAULT partition so that no insert ever fails for want of one.
            CREATE TABLE {schema}.model_metrics (
                id bigint NOT NULL DEFAULT nextval('{schema}.model_metrics_id_seq'),
                model_id text COLLATE "C" NOT NULL,
                name text COLLATE "C" NOT NULL,
                value double precision NOT NULL,
                "timestamp" timestamptz NOT NULL,
                timestamp_ns100 smallint NOT NULL,
                run_id text,
                tags jsonb
            ) PARTITION BY RANGE ("timestamp");
            ALTER SEQUENCE {schema}.model_metrics_id_seq OWNED BY {schema}.model_metrics.id;
            CREATE TABLE {schema}.model_metrics_default PARTITION OF {schema}.model_metrics DEFAULT;
            -- B-tree, not BRIN: every query names a model (and usually a metric) and then a time range, and the points of
            -- many models are interleaved in time, so a BRIN range on "timestamp" alone would still read every model's
            -- rows of those pages. The B-tree on (model_id, name, "timestamp") finds exactly the rows, already in time
            -- order, and carries what aggregates read (value, ticks) so that they can be index-only scans; monthly
            -- partitions keep each index small, and pruning skips the months outside the range.
            CREATE INDEX ix_model_metrics_series ON {schema}.model_metrics (model_id, name, "timestamp") INCLUDE (timestamp_ns100, value);
            CREATE FUNCTION {schema}.ensure_model_metrics_partitions(months timestamptz[]) RETURNS integer
            LANGUAGE plpgsql
            SET search_path = pg_catalog, pg_temp
            SET "TimeZone" = 'UTC'
            SET "DateStyle" = 'ISO, YMD'
            AS $function$
            DECLARE
                month_start timestamp;
                lower_bound timestamptz;
                upper_bound timestamptz;
                partition_name text;
                created integer := 0;
            BEGIN
                FOR month_start IN
                    SELECT DISTINCT date_trunc('month', m AT TIME ZONE 'UTC') FROM unnest(months) AS m WHERE isfinite(m) ORDER BY 1
                LOOP
                    partition_name := 'model_metrics_p' || to_char(month_start, 'YYYYMM');
                    CONTINUE WHEN to_regclass(format('%I.%I', {schema_name}, partition_name)) IS NOT NULL;
                    -- Writers that start together create each partition once: SHARE UPDATE EXCLUSIVE on the parent conflicts
                    -- with itself (and is what ATTACH PARTITION takes) but not with inserts or COPY; it is held until the
                    -- caller's transaction ends. Taking a table lock also refreshes this session's catalog cache, so the
                    -- check below sees a partition that another writer committed while this one waited (an advisory lock
                    -- would not).
                    EXECUTE format('LOCK TABLE %I.model_metrics IN SHARE UPDATE EXCLUSIVE MODE', {schema_name});
                    CONTINUE WHEN to_regclass(format('%I.%I', {schema_name}, partition_name)) IS NOT NULL;
                    lower_bound := month_start AT TIME ZONE 'UTC';
                    upper_bound := (month_start + interval '1 month') AT TIME ZONE 'UTC';
                    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.model_metrics INCLUDING DEFAULTS)', {schema_name}, partition_name, {schema_name});
                    -- Points of this month that went to the DEFAULT partition move to the new one: a range cannot be
                    -- attached while the DEFAULT partition holds rows of it.
                    EXECUTE format(
                        'WITH moved AS (DELETE FROM %I.model_metrics_default WHERE "timestamp" >= $1 AND "timestamp" < $2 RETURNING *) INSERT INTO %I.%I SELECT * FROM moved',
                        {schema_name}, {schema_name}, partition_name) USING lower_bound, upper_bound;
                    EXECUTE format('ALTER TABLE %I.model_metrics ATTACH PARTITION %I.%I FOR VALUES FROM (%L) TO (%L)',
                        {schema_name}, {schema_name}, partition_name, lower_bound, upper_bound);
                    created := created + 1;
                END LOOP;
                RETURN created;
            END
            $function$;
            """),
        (3, "Response cache", """
            CREATE TABLE {schema}.response_cache (
                key text COLLATE "C" NOT NULL PRIMARY KEY,
                model_id text NOT NULL,
                text text NOT NULL,
                input_tokens bigint,
                output_tokens bigint,
                created_at timestamptz NOT NULL,
                created_at_ns100 smallint NOT NULL
            );
            """),
        (4, "A/B tests", """
            CREATE TABLE {schema}.ab_tests (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                name text NOT NULL,
                status text NOT NULL,
                created_at timestamptz NOT NULL,
                created_at_ns100 smallint NOT NULL,
                data json NOT NULL
            );
            CREATE INDEX ix_ab_tests_created ON {schema}.ab_tests (created_at);
            """),
        (5, "Experiments, experiment templates and experiment runs", """
            CREATE TABLE {schema}.experiments (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                name text NOT NULL,
                status text NOT NULL,
                created_at timestamptz NOT NULL,
                created_at_ns100 smallint NOT NULL,
                data json NOT NULL
            );
            CREATE INDEX ix_experiments_created ON {schema}.experiments (created_at);
            CREATE TABLE {schema}.experiment_templates (
                id text COLLATE "C" NOT NULL PRIMARY KEY,
                updated_at timestamptz NOT NULL,
                data json NOT NULL
            );
            CREATE TABLE {schema}.experiment_runs (
                experiment_id text COLLATE "C" NOT NULL,
                run_id text COLLATE "C" NOT NULL,
                variant_index integer NOT NULL,
                status text NOT NULL,
                data json NOT NULL,
                PRIMARY KEY (experiment_id, run_id)
            );
            CREATE INDEX ix_experiment_runs_order ON {schema}.experiment_runs (experiment_id, variant_index, run_id);
            """),
        (6, "Shards of distributed runs", """
            CREATE TABLE {schema}.run_shards (
                run_id text COLLATE "C" NOT NULL,
                shard_index integer NOT NULL,
                from_ordinal bigint NOT NULL,
                to_ordinal bigint NOT NULL,
                finalizes boolean NOT NULL,
                state smallint NOT NULL,
                worker_id text,
                lease_expires_at timestamptz,
                lease_expires_at_ns100 smallint,
                claims integer NOT NULL,
                completed_at timestamptz,
                completed_at_ns100 smallint,
                PRIMARY KEY (run_id, shard_index)
            );
            CREATE INDEX ix_run_shards_claimable ON {schema}.run_shards (state, run_id, shard_index);
            """),
        (7, "Tenants: every record belongs to a tenant, which leads every key and index; existing records go to tenant 'default'", """
            -- Adding a column with a constant default rewrites no table; each primary key is rebuilt with the tenant first, and
            -- the default is dropped afterwards so that every write must name its tenant.
            ALTER TABLE {schema}.evaluation_models ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.evaluation_models DROP CONSTRAINT evaluation_models_pkey;
            ALTER TABLE {schema}.evaluation_models ADD CONSTRAINT evaluation_models_pkey PRIMARY KEY (tenant_id, id);
            ALTER TABLE {schema}.evaluation_models ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.model_revisions ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.model_revisions DROP CONSTRAINT model_revisions_pkey;
            ALTER TABLE {schema}.model_revisions ADD CONSTRAINT model_revisions_pkey PRIMARY KEY (tenant_id, model_id, revision);
            ALTER TABLE {schema}.model_revisions ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.evaluation_datasets ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.evaluation_datasets DROP CONSTRAINT evaluation_datasets_pkey;
            ALTER TABLE {schema}.evaluation_datasets ADD CONSTRAINT evaluation_datasets_pkey PRIMARY KEY (tenant_id, id);
            ALTER TABLE {schema}.evaluation_datasets ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.evaluation_cases ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.evaluation_cases DROP CONSTRAINT evaluation_cases_pkey;
            ALTER TABLE {schema}.evaluation_cases ADD CONSTRAINT evaluation_cases_pkey PRIMARY KEY (tenant_id, dataset_id, ordinal);
            ALTER TABLE {schema}.evaluation_cases ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.benchmark_suites ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.benchmark_suites DROP CONSTRAINT benchmark_suites_pkey;
            ALTER TABLE {schema}.benchmark_suites ADD CONSTRAINT benchmark_suites_pkey PRIMARY KEY (tenant_id, id);
            ALTER TABLE {schema}.benchmark_suites ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.evaluation_runs ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.evaluation_runs DROP CONSTRAINT evaluation_runs_pkey;
            ALTER TABLE {schema}.evaluation_runs ADD CONSTRAINT evaluation_runs_pkey PRIMARY KEY (tenant_id, id);
            ALTER TABLE {schema}.evaluation_runs ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.evaluation_results ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.evaluation_results DROP CONSTRAINT evaluation_results_pkey;
            ALTER TABLE {schema}.evaluation_results ADD CONSTRAINT evaluation_results_pkey PRIMARY KEY (tenant_id, run_id, case_ordinal, repetition);
            ALTER TABLE {schema}.evaluation_results ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.response_cache ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.response_cache DROP CONSTRAINT response_cache_pkey;
            ALTER TABLE {schema}.response_cache ADD CONSTRAINT response_cache_pkey PRIMARY KEY (tenant_id, key);
            ALTER TABLE {schema}.response_cache ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.ab_tests ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.ab_tests DROP CONSTRAINT ab_tests_pkey;
            ALTER TABLE {schema}.ab_tests ADD CONSTRAINT ab_tests_pkey PRIMARY KEY (tenant_id, id);
            ALTER TABLE {schema}.ab_tests ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.experiments ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.experiments DROP CONSTRAINT experiments_pkey;
            ALTER TABLE {schema}.experiments ADD CONSTRAINT experiments_pkey PRIMARY KEY (tenant_id, id);
            ALTER TABLE {schema}.experiments ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.experiment_templates ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.experiment_templates DROP CONSTRAINT experiment_templates_pkey;
            ALTER TABLE {schema}.experiment_templates ADD CONSTRAINT experiment_templates_pkey PRIMARY KEY (tenant_id, id);
            ALTER TABLE {schema}.experiment_templates ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.experiment_runs ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.experiment_runs DROP CONSTRAINT experiment_runs_pkey;
            ALTER TABLE {schema}.experiment_runs ADD CONSTRAINT experiment_runs_pkey PRIMARY KEY (tenant_id, experiment_id, run_id);
            ALTER TABLE {schema}.experiment_runs ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.run_shards ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.run_shards DROP CONSTRAINT run_shards_pkey;
            ALTER TABLE {schema}.run_shards ADD CONSTRAINT run_shards_pkey PRIMARY KEY (tenant_id, run_id, shard_index);
            ALTER TABLE {schema}.run_shards ALTER COLUMN tenant_id DROP DEFAULT;
            ALTER TABLE {schema}.evaluation_cases DROP CONSTRAINT evaluation_cases_case_id_key;
            ALTER TABLE {schema}.evaluation_cases ADD CONSTRAINT evaluation_cases_case_id_key UNIQUE (tenant_id, dataset_id, case_id);
            DROP INDEX {schema}.ix_evaluation_runs_model;
            DROP INDEX {schema}.ix_evaluation_runs_dataset;
            CREATE INDEX ix_evaluation_runs_model ON {schema}.evaluation_runs (tenant_id, model_id, created_at);
            CREATE INDEX ix_evaluation_runs_dataset ON {schema}.evaluation_runs (tenant_id, dataset_id, created_at);
            DROP INDEX {schema}.ix_ab_tests_created;
            CREATE INDEX ix_ab_tests_created ON {schema}.ab_tests (tenant_id, created_at);
            DROP INDEX {schema}.ix_experiments_created;
            CREATE INDEX ix_experiments_created ON {schema}.experiments (tenant_id, created_at);
            DROP INDEX {schema}.ix_experiment_runs_order;
            CREATE INDEX ix_experiment_runs_order ON {schema}.experiment_runs (tenant_id, experiment_id, variant_index, run_id);
            DROP INDEX {schema}.ix_run_shards_claimable;
            CREATE INDEX ix_run_shards_claimable ON {schema}.run_shards (tenant_id, state, run_id, shard_index);
            -- The change counter: one row per tenant instead of the single row.
            ALTER TABLE {schema}.model_change_counter ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.model_change_counter DROP COLUMN id;
            ALTER TABLE {schema}.model_change_counter ADD CONSTRAINT model_change_counter_pkey PRIMARY KEY (tenant_id);
            ALTER TABLE {schema}.model_change_counter ALTER COLUMN tenant_id DROP DEFAULT;
            -- Metric points: the column reaches every monthly partition (and partitions created later copy it); the series index
            -- is rebuilt on every partition with the tenant first.
            ALTER TABLE {schema}.model_metrics ADD COLUMN tenant_id text COLLATE "C" NOT NULL DEFAULT 'default';
            ALTER TABLE {schema}.model_metrics ALTER COLUMN tenant_id DROP DEFAULT;
            DROP INDEX {schema}.ix_model_metrics_series;
            CREATE INDEX ix_model_metrics_series ON {schema}.model_metrics (tenant_id, model_id, name, "timestamp") INCLUDE (timestamp_ns100, value);
            """),
        (8, "Audit log: append-only entries per tenant, read newest first", """
            CREATE TABLE {schema}.audit_log (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tenant_id text COLLATE "C" NOT NULL,
                occurred_at timestamptz NOT NULL,
                occurred_at_ns100 smallint NOT NULL,
                actor text COLLATE "C" NOT NULL,
                operation text COLLATE "C" NOT NULL,
                record_type text COLLATE "C" NOT NULL,
                record_id text COLLATE "C",
                outcome text NOT NULL,
                error_type text,
                count bigint
            );
            -- Every query names the tenant and reads newest first (a backward scan of this index), and retention deletes a
            -- tenant's oldest entries (a range of it). Entries arrive in time order, so the index grows at its end; a B-tree
            -- serves both, where monthly partitions would only pay off for logs far larger than an evaluation host writes.
            CREATE INDEX ix_audit_log_time ON {schema}.audit_log (tenant_id, occurred_at, occurred_at_ns100, id);
            -- Entries are append-only: an update fails; only retention deletes (by age).
            CREATE FUNCTION {schema}.audit_log_append_only() RETURNS trigger
            LANGUAGE plpgsql
            SET search_path = pg_catalog, pg_temp
            AS $function$
            BEGIN
                RAISE EXCEPTION 'audit_log entries are append-only';
            END
            $function$;
            CREATE TRIGGER audit_log_append_only BEFORE UPDATE ON {schema}.audit_log
                FOR EACH ROW EXECUTE FUNCTION {schema}.audit_log_append_only();
            """),
        (9, "Projects per tenant; runs, A/B tests and experiments may belong to one (project_id)", """
            CREATE TABLE {schema}.projects (
                tenant_id text COLLATE "C" NOT NULL,
                id text COLLATE "C" NOT NULL,
                name text NOT NULL,
                created_at timestamptz NOT NULL,
                created_at_ns100 smallint NOT NULL,
                data json NOT NULL,
                PRIMARY KEY (tenant_id, id)
            );
            CREATE INDEX ix_projects_created ON {schema}.projects (tenant_id, created_at, created_at_ns100);
            -- A nullable column without a default is added without rewriting the table; the partial indexes hold only the
            -- records of a project, and a query with project_id = ... implies their condition.
            ALTER TABLE {schema}.evaluation_runs ADD COLUMN project_id text COLLATE "C";
            CREATE INDEX ix_evaluation_runs_project ON {schema}.evaluation_runs (tenant_id, project_id, created_at) WHERE project_id IS NOT NULL;
            ALTER TABLE {schema}.ab_tests ADD COLUMN project_id text COLLATE "C";
            CREATE INDEX ix_ab_tests_project ON {schema}.ab_tests (tenant_id, project_id, created_at) WHERE project_id IS NOT NULL;
            ALTER TABLE {schema}.experiments ADD COLUMN project_id text COLLATE "C";
            CREATE INDEX ix_experiments_project ON {schema}.experiments (tenant_id, project_id, created_at) WHERE project_id IS NOT NULL;
            """),
        (10, "Change counters per tenant and scope, which caches validate their answers against; run records advance theirs by trigger", """
            -- scope: 'epoch', 'runs', 'run:<run id>' or 'metrics:<model id>'. A new counter starts at a random value, so one that is
            -- deleted with its data and created again does not repeat a value that an old cached answer was stamped with.
            CREATE TABLE {schema}.change_counters (
                tenant_id text COLLATE "C" NOT NULL,
                scope text COLLATE "C" NOT NULL,
                value bigint NOT NULL,
                PRIMARY KEY (tenant_id, scope)
            );
            CREATE FUNCTION {schema}.change_counters_run_changed() RETURNS trigger LANGUAGE plpgsql AS $function$
            BEGIN
                IF TG_OP = 'DELETE' THEN
                    -- A deleted run leaves no counter behind; the tenant's epoch moves instead, which invalidates every answer about it.
                    DELETE FROM {schema}.change_counters WHERE tenant_id = OLD.tenant_id AND scope = 'run:' || OLD.id;
                    INSERT INTO {schema}.change_counters AS c (tenant_id, scope, value)
                        VALUES (OLD.tenant_id, 'runs', (random() * 4611686018427387903)::bigint), (OLD.tenant_id, 'epoch', (random() * 4611686018427387903)::bigint)
                        ON CONFLICT (tenant_id, scope) DO UPDATE SET value = c.value + 1;
                    RETURN OLD;
                END IF;
                INSERT INTO {schema}.change_counters AS c (tenant_id, scope, value)
                    VALUES (NEW.tenant_id, 'run:' || NEW.id, (random() * 4611686018427387903)::bigint), (NEW.tenant_id, 'runs', (random() * 4611686018427387903)::bigint)
                    ON CONFLICT (tenant_id, scope) DO UPDATE SET value = c.value + 1;
                RETURN NEW;
            END
            $function$;
            CREATE TRIGGER change_counters_run_changed AFTER INSERT OR UPDATE OR DELETE ON {schema}.evaluation_runs
                FOR EACH ROW EXECUTE FUNCTION {schema}.change_counters_run_changed();
            """),
        (11, "Audit log: an erasure may replace an entry's record id with '(erased)', and change nothing else", """
            CREATE OR REPLACE FUNCTION {schema}.audit_log_append_only() RETURNS trigger
            LANGUAGE plpgsql
            SET search_path = pg_catalog, pg_temp
            AS $function$
            BEGIN
                IF NEW.record_id = '(erased)' AND OLD.record_id IS NOT NULL
                    AND (NEW.id, NEW.tenant_id, NEW.occurred_at, NEW.occurred_at_ns100, NEW.actor, NEW.operation, NEW.record_type, NEW.outcome, NEW.error_type, NEW.count)
                        IS NOT DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.occurred_at, OLD.occurred_at_ns100, OLD.actor, OLD.operation, OLD.record_type, OLD.outcome, OLD.error_type, OLD.count)
                THEN
                    RETURN NEW;
                END IF;
                RAISE EXCEPTION 'audit_log entries are append-only: only an erasure may replace a record id, with ''(erased)''';
            END
            $function$;
            """),
    ];

    /// <summary>Gets the newest schema version.</summary>
    public static int LatestVersion => Templates[^1].Version;

    /// <summary>The migrations for one schema.</summary>
    /// <param name="schemaName">The schema name, already validated by <see cref="PostgresValues.QuoteSchema"/>.</param>
    /// <returns>The migrations, in order.</returns>
    public static (int Version, string Description, string Sql)[] For(string schemaName)
    {
        var quoted = PostgresValues.QuoteSchema(schemaName);
        return [.. Templates.Select(m => (m.Version, m.Description, m.Sql
            .Replace("{schema}", quoted, StringComparison.Ordinal)
            .Replace("{schema_name}", $"'{schemaName}'", StringComparison.Ordinal)))];
    }
}
