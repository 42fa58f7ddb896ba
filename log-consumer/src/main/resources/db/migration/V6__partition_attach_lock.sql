-- log_events_ensure_partition, now holding the default partition for the whole move: an event of the day
-- stored into the default partition between the move and the ATTACH made the ATTACH fail ("updated partition
-- constraint for default partition would be violated"), and the day stayed in the default partition until the
-- next hourly run. Writers of other days wait for the move too, which is short (the default holds few rows).
CREATE OR REPLACE FUNCTION log_events_ensure_partition(day date) RETURNS boolean
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
    LOCK TABLE log_events_default IN ACCESS EXCLUSIVE MODE;
    EXECUTE format('CREATE TABLE %I (LIKE log_events INCLUDING DEFAULTS)', name);
    EXECUTE format('WITH moved AS (DELETE FROM log_events_default WHERE event_time >= %L AND event_time < %L RETURNING *) '
                   'INSERT INTO %I SELECT * FROM moved', lower_bound, upper_bound, name);
    EXECUTE format('ALTER TABLE log_events ATTACH PARTITION %I FOR VALUES FROM (%L) TO (%L)', name, lower_bound, upper_bound);
    RETURN true;
END;
$$;
