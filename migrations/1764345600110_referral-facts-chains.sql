-- Up Migration
-- Redirect chains start from referrals nobody redirected to that were themselves redirected, a
-- few per cent of all, and follow redirected_from: two small covering indexes let the chains
-- query read no table page (measured on a year of 1M referrals: 2.8 s → 0.1 s p50, bench/insights).
CREATE INDEX referral_facts_chain_roots ON referral_facts (made_at)
  INCLUDE (from_agency, to_agency, referral_id)
  WHERE decision = 'redirected' AND redirected_from IS NULL;
DROP INDEX referral_facts_redirected_from;
CREATE INDEX referral_facts_redirected_from ON referral_facts (redirected_from)
  INCLUDE (referral_id) WHERE redirected_from IS NOT NULL;

-- Down Migration
DROP INDEX referral_facts_redirected_from;
CREATE INDEX referral_facts_redirected_from ON referral_facts (redirected_from)
  WHERE redirected_from IS NOT NULL;
DROP INDEX referral_facts_chain_roots;
