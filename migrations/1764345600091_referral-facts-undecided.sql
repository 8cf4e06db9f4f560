-- Up Migration
-- The directors' agenda lists referrals still awaiting a decision past their deadline, and
-- redirect chains whose last referral nobody kept: both start from the few undecided ones.
CREATE INDEX referral_facts_undecided ON referral_facts (decision_due_by)
  WHERE status IN ('requested', 'received');

-- Down Migration
DROP INDEX referral_facts_undecided;
