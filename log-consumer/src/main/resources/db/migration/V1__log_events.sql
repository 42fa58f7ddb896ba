-- Log events, partitioned by day on the event's own time. Retention drops whole partitions.
-- The primary key makes a redelivered event (same id, same time) a no-op (ON CONFLICT DO NOTHING);
-- it must contain the partition key.
CREATE TABLE log_events (
    id          uuid        NOT NULL,
    event_time  timestamptz NOT NULL,
    stored_at   timestamptz NOT NULL DEFAULT now(),
    service     text        NOT NULL,
    level       smallint    NOT NULL, -- 0 TRACE, 1 DEBUG, 2 INFO, 3 WARN, 4 ERROR, 5 FATAL
    message     text        NOT NULL,
    logger      text,
    trace_id    text,
    span_id     text,
    attributes  jsonb       NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (event_time, id)
) PARTITION BY RANGE (event_time);

-- Catches events outside the maintained days (very old, or far in the future) so none is refused.
CREATE TABLE log_events_default PARTITION OF log_events DEFAULT;

CREATE INDEX log_events_service_time ON log_events (service, event_time DESC);
CREATE INDEX log_events_level_time ON log_events (level, event_time DESC);
CREATE INDEX log_events_trace ON log_events (trace_id) WHERE trace_id IS NOT NULL;
CREATE INDEX log_events_id ON log_events (id);

-- Creates the partition of one day if it is missing, moving any rows of that day out of the default
-- partition first (ATTACH refuses while the default holds rows of the range). Safe to run concurrently.
CREATE FUNCTION log_events_ensure_partition(day date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    name text := format('log_events_p%s', to_char(day, 'YYYYMMDD'));
    lower_bound timestamptz := day::timestamp AT TIME ZONE 'UTC';
    upper_bound timestamptz := (day + 1)::timestamp AT TIME ZONE 'UTC';
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('log_events_partitions'));
    IF to_regclass(name) IS NOT NULL THEN
        RETURN false;
    END IF;
    EXECUTE format('CREATE TABLE %I (LIKE log_events INCLUDING DEFAULTS)', name);
    EXECUTE format('WITH moved AS (DELETE FROM log_events_default WHERE event_time >= %L AND event_time < %L RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, name);
    EXECUTE format('ALTER TABLE log_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lower_bound, upper_bound);
    RETURN true;
END;
$$;

-- Drops every day partition that ends on or before the cutoff, and deletes the default partition's rows
-- older than it (those are few: events that arrived long after they happened). Returns the dropped count.
CREATE FUNCTION log_events_drop_before(cutoff date) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    partition record;
    dropped integer := 0;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtext('log_events_partitions'));
    FOR partition IN
        SELECT c.relname
        FROM pg_inherits i
        JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'log_events'::regclass
          AND c.relname ~ '^log_events_p[0-9]{8}$'
          AND to_date(substring(c.relname FROM 13), 'YYYYMMDD') < cutoff
    LOOP
        EXECUTE format('DROP TABLE %I', partition.relname);
        dropped := dropped + 1;
    END LOOP;
    DELETE FROM log_events_default WHERE event_time < (cutoff::timestamp AT TIME ZONE 'UTC');
    RETURN dropped;
END;
$$;
