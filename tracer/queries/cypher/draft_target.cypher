// What a new draft needs checked: whether its id is taken (a finding or a draft), whether its
// subject exists, and which of the persons it names are unknown.
// Parameters: $finding_id, $uscc (null for a person subject), $id_type, $id_number (the person
// subject, or null), $persons (list of {id_type, id_number}).
OPTIONAL MATCH (f:Finding {finding_id: $finding_id})
OPTIONAL MATCH (d:FindingDraft {finding_id: $finding_id})
OPTIONAL MATCH (e:Enterprise {uscc: $uscc})
OPTIONAL MATCH (s:Person {id_type: $id_type, id_number: $id_number})
CALL () {
  UNWIND $persons AS person
  OPTIONAL MATCH (p:Person {id_type: person.id_type, id_number: person.id_number})
  WITH person WHERE p IS NULL
  RETURN collect(person) AS missing
}
RETURN f IS NOT NULL OR d IS NOT NULL AS taken,
       e IS NOT NULL OR s IS NOT NULL AS subject_found,
       coalesce(e.region_code, s.region_code) AS region_code,
       missing
