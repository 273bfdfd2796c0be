// Findings in force on $as_of as known at $known_at (all, or $finding_ids) against subjects in a
// region ($scope: region_code prefix of the listed enterprise, or of the division a resident ID
// was issued in; other persons and enterprises without a region are national; null = all), with
// the rules in force that match each: the candidates of the work lists, whose measures the
// caller computes from the memoranda and the rules.
// Newest decision first (decided_on descending, then finding_id), read in that order from the
// decided_on index so a page costs its rows, not the whole list: the caller pages on with the
// last row's decided_on and finding_id ($before, $after_id).
// Parameters: $as_of (Date), $known_at (DateTime), $finding_ids (list, or null for all),
// $scope (string or null), $before (Date: decided on or before it), $after_id (string: with
// decided_on = $before, only finding ids after it; null for none), $limit (max findings).
MATCH (f:Finding)
WHERE f.decided_on <= $before
  AND (f.decided_on < $before OR $after_id IS NULL OR f.finding_id > $after_id)
  AND ($finding_ids IS NULL OR f.finding_id IN $finding_ids)
WITH f ORDER BY f.decided_on DESC
MATCH (f)-[:AGAINST]->(s)
WITH f, s,
     CASE WHEN s:Person AND s.id_type = 'RESIDENT_ID' THEN left(s.id_number, 6)
          ELSE s.region_code END AS region
WHERE $scope IS NULL OR region IS NULL OR region STARTS WITH $scope
WITH f, s, region, {{ finding_state }}
WHERE applies
{{ list_type_in_force }}
CALL (f, s, lt, applies, listed) {
  {{ rules_in_force }}
  RETURN collect(r {.rule_id, .measures, .list_measure_classes, .person_subjects,
                    .reaches_organisations, .subject_requires, .roles, .roles_if_named,
                    .named_capacities}) AS rules
}
WITH f, s, region, lt, rules
ORDER BY f.decided_on DESC, f.finding_id
LIMIT $limit
RETURN {{ finding_fields }} AS finding,
       f.status_to AS status_to, f.status_effective AS status_effective,
       coalesce(f.category, lt.category) AS category,
       CASE WHEN s:Person THEN 'PERSON' ELSE 'ENTERPRISE' END AS subject_kind,
       region AS region_code, rules,
       [(f)-[n:NAMES]->(:Person) | n.capacity] AS capacities
