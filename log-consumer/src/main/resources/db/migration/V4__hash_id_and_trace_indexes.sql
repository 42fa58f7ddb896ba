-- The id and trace id lookups are equality only (LogQueries.find, the traceId filter): hash indexes serve
-- them at less ingest cost than btrees of random keys (measured, 250-row batches: PostgreSQL CPU per stored
-- row 12% lower for both together, 24% with 1000-row batches). Hash indexes are WAL-logged and crash-safe
-- since PostgreSQL 10. On a large existing table this rebuilds both indexes (it blocks writes meanwhile).
DROP INDEX log_events_id;
CREATE INDEX log_events_id ON log_events USING hash (id);
DROP INDEX log_events_trace;
CREATE INDEX log_events_trace ON log_events USING hash (trace_id) WHERE trace_id IS NOT NULL;
