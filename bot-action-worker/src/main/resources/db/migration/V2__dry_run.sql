-- BOT_EXECUTOR=dry-run runs the whole pipeline without calling X: its ledger rows say so.
ALTER TABLE bot_action_executions ADD COLUMN dry_run boolean NOT NULL DEFAULT false;
