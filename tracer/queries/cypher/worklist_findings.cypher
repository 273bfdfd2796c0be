// Findings applying on $as_of (ACTIVE, decided_on <= $as_of, effective_until absent or later) and
// the measures they push: measures hitting the listed enterprise itself (catalogue measures that no
// rule claims, plus the SUBJECT/BOTH measures of the rules matching the finding) and the PERSON/BOTH
// measures of matching rules for persons (who is actually liable comes from the liability engine).
// Rule matching: list_types, categories (finding's or its list type's), subject_kinds/ownerships
// for enterprises, person_subjects for findings against persons, ban_years window.
// pushed_on: decided_on, or the latest re-activation (a transition back to ACTIVE) if later.
// Parameters: $as_of (Date), $finding_ids (list, or null for all), $owned (measure codes kept, or
// null for all), $scope (region_code prefix of the listed enterprise, or null), $skip, $limit.
OPTIONAL MATCH (m:Measure)
WITH collect(m) AS catalogue
OPTIONAL MATCH (r:Rule)
WITH catalogue, collect(r) AS rules
WITH rules, catalogue, reduce(acc = [], r IN rules | acc + r.measures) AS claimed
WITH rules,
     [m IN catalogue WHERE m.hits IN ['SUBJECT', 'BOTH'] AND NOT m.code IN claimed | m.code] AS general,
     [m IN catalogue WHERE m.hits IN ['SUBJECT', 'BOTH'] | m.code] AS subject_hits,
     [m IN catalogue WHERE m.hits IN ['PERSON', 'BOTH'] | m.code] AS person_hits
OPTIONAL MATCH (f:Finding)-[:AGAINST]->(s)
WHERE ($finding_ids IS NULL OR f.finding_id IN $finding_ids)
  AND f.status = 'ACTIVE' AND f.decided_on <= $as_of
  AND (f.effective_until IS NULL OR f.effective_until >= $as_of)
  AND ($scope IS NULL OR s:Person OR s.region_code IS NULL OR s.region_code STARTS WITH $scope)
OPTIONAL MATCH (lt:ListType {code: f.list_type})
WITH f, s, coalesce(f.category, lt.category) AS category, rules, general, subject_hits, person_hits
WITH f, s, general, subject_hits, person_hits,
     [r IN rules WHERE f IS NOT NULL
        AND (size(r.list_types) = 0 OR f.list_type IN r.list_types)
        AND (size(r.categories) = 0 OR category IN r.categories)
        AND CASE WHEN s:Person THEN r.person_subjects
                 ELSE (size(r.subject_kinds) = 0 AND size(r.ownerships) = 0)
                      OR s.kind IN r.subject_kinds OR s.ownership IN r.ownerships END
        AND (r.ban_years IS NULL OR f.decided_on + duration({years: coalesce(r.ban_years, 0)}) >= $as_of)]
       AS matching
WITH f, s,
     CASE WHEN s:Enterprise THEN
       [c IN general WHERE $owned IS NULL OR c IN $owned | {measure: c, rule: null}] +
       reduce(acc = [], r IN matching |
         acc + [c IN r.measures WHERE c IN subject_hits AND ($owned IS NULL OR c IN $owned)
                | {measure: c, rule: r.rule_id}])
     ELSE [] END AS subject_measures,
     reduce(acc = [], r IN matching |
       acc + [c IN r.measures WHERE NOT r.reaches_organisations AND c IN person_hits
                                    AND ($owned IS NULL OR c IN $owned)]) AS person_measures
WHERE f IS NULL OR size(subject_measures) > 0 OR size(person_measures) > 0
CALL (f) {
  OPTIONAL MATCH (f)-[:HAS_TRANSITION]->(t:Transition {to_status: 'ACTIVE'})
  WHERE t.from_status IS NOT NULL
  RETURN max(date(t.at)) AS reactivated
}
WITH f, s, subject_measures, person_measures,
     CASE WHEN reactivated > f.decided_on THEN reactivated ELSE f.decided_on END AS pushed_on
ORDER BY f.decided_on DESC, f.finding_id
WITH collect(CASE WHEN f IS NOT NULL THEN
       {finding_id: f.finding_id, decided_on: f.decided_on, pushed_on: pushed_on,
        subject_kind: CASE WHEN s:Person THEN 'PERSON' ELSE 'ENTERPRISE' END,
        subject_measures: subject_measures, person_measures: person_measures} END) AS rows
RETURN size(rows) AS total, rows[$skip..$skip + $limit] AS page
