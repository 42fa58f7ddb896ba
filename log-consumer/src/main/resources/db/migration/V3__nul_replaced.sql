-- True when the event held NUL characters, which text and jsonb cannot store: they were replaced by U+FFFD.
-- A constant default adds the column without rewriting the table.
ALTER TABLE log_events ADD COLUMN nul_replaced boolean NOT NULL DEFAULT false;
