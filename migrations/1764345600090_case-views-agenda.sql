-- Up Migration
-- What the directors' agenda (issue 24, item 5) asks of a case: since when its handover in
-- flight has waited, and whether it was closed after a declined handover with no handover
-- completed since (who declined, when, and when it was closed). Rows folded before this
-- migration hold NULL here until `npm run projections:rebuild -- --model case-views`.
ALTER TABLE case_views
  ADD COLUMN handover_proposed_at timestamptz,
  ADD COLUMN declined_by text,
  ADD COLUMN declined_at timestamptz,
  ADD COLUMN closed_at timestamptz;
CREATE INDEX case_views_waiting_handovers ON case_views (handover_proposed_at)
  WHERE handover_status IS NOT NULL;
CREATE INDEX case_views_closed_after_decline ON case_views (closed_at)
  WHERE declined_by IS NOT NULL AND status = 'closed';

-- Down Migration
-- Dropping the columns drops the indexes on them, whatever a rebuild renamed them to.
ALTER TABLE case_views
  DROP COLUMN handover_proposed_at,
  DROP COLUMN declined_by,
  DROP COLUMN declined_at,
  DROP COLUMN closed_at;
