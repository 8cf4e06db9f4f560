// Which referrals a Task search finds, from the projector's referral_views read model: only
// those the searching agency is a party to ($1), newest made first, by keyset.
export const TASKS_OF_PARTY = {
  name: 'fhir-tasks-of-party',
  text: `
    SELECT referral_id, made_at FROM referral_views
    WHERE (from_agency = $1 OR to_agency = $1)
      AND ($2::text IS NULL OR to_agency = $2)
      AND ($3::text IS NULL OR from_agency = $3)
      AND ($4::text[] IS NULL OR status = ANY($4::text[]))
      AND ($5::timestamptz IS NULL OR last_changed_at > $5)
      AND ($6::timestamptz IS NULL OR last_changed_at >= $6)
      AND ($7::timestamptz IS NULL OR last_changed_at < $7)
      AND ($8::timestamptz IS NULL OR last_changed_at <= $8)
      AND ($9::timestamptz IS NULL OR (made_at, referral_id) < ($9, $10::uuid))
    ORDER BY made_at DESC, referral_id DESC
    LIMIT $11`,
};
