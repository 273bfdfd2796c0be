// fragment rules_in_force: `r`, each rule in force on $as_of for the subject `s` (per rule id the
// version with the most specific jurisdiction, then the latest valid_from) that matches finding
// `f` (list type, category, ground, the listed organisation's kind or ownership, a person-level
// basis where the rule needs one) and whose window contains $as_of: the finding applies, or — for
// a rule whose own period outlasts the finding's — it is listed and the rule's own years run.
// Needs `lt` (list_type_in_force), `applies` and `listed` (finding_state) in scope.
CALL (f, s, lt, applies, listed) {
  MATCH (r:Rule)
  WHERE r.valid_from <= $as_of AND $as_of <= r.valid_to
    AND (r.jurisdiction = '' OR coalesce(s.region_code, '') STARTS WITH r.jurisdiction)
  WITH r ORDER BY r.rule_id, size(r.jurisdiction) DESC, r.valid_from DESC
  WITH r.rule_id AS rule_id, collect(r)[0] AS r
  WHERE (size(r.list_types) = 0 OR f.list_type IN r.list_types)
    AND (size(r.categories) = 0 OR coalesce(f.category, lt.category) IN r.categories)
    AND (size(r.grounds) = 0 OR f.ground IN r.grounds)
    AND (s:Person OR (size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
         OR s.kind IN r.subject_kinds OR s.ownership IN r.ownerships)
    AND (NOT r.requires_list_measures
         OR any(c IN r.list_measure_classes
                WHERE c IN coalesce(lt.person_classes, []) OR (c = '*' AND size(coalesce(lt.person_classes, [])) > 0)))
    AND (applies OR (r.outlasts_finding AND listed))
    AND (r.ban_years IS NULL OR $as_of < f.decided_on + duration({years: r.ban_years}))
  RETURN r
}
