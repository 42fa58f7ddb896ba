-- vivesphere_log_reader: the read-only role Grafana's PostgreSQL data source logs in with. It may read log_events
-- (through the parent table; its partitions are not granted) and nothing else, none of bot-action-worker's tables
-- in a shared database. A migration cannot know a password: the role is created NOLOGIN and without one, and
-- operations give it LOGIN and its password (docker-compose.yml does at the database's first start, from .env;
-- docs/operations.md, Grafana on the log store). A user that may not create roles (a managed database) gets a
-- warning instead of a failed start: the role is then made by an administrator and this grant re-run.
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'vivesphere_log_reader') THEN
        IF NOT (SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user) THEN
            RAISE WARNING 'role vivesphere_log_reader is missing and % may not create it: create it, then grant it '
                'USAGE on schema % and SELECT on log_events (docs/operations.md)', current_user, current_schema();
            RETURN;
        END IF;
        BEGIN
            CREATE ROLE vivesphere_log_reader NOLOGIN;
        EXCEPTION WHEN duplicate_object OR unique_violation THEN
            NULL; -- roles are cluster-wide: another database's migration created it meanwhile
        END;
    END IF;
    EXECUTE format('GRANT USAGE ON SCHEMA %I TO vivesphere_log_reader', current_schema());
    GRANT SELECT ON log_events TO vivesphere_log_reader;
END;
$$;

-- The level names of the smallint column, for dashboards (LogLevel's names; 0 TRACE ... 5 FATAL).
CREATE FUNCTION log_level_name(level smallint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN (ARRAY['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'])[level + 1];
