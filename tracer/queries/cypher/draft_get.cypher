// One draft with the names of its subject and of the persons it names.
// Parameters: $finding_id.
MATCH (d:FindingDraft {finding_id: $finding_id})
CALL (d) {
  UNWIND range(0, size(coalesce(d.person_id_numbers, [])) - 1) AS i
  OPTIONAL MATCH (p:Person {id_type: d.person_id_types[i], id_number: d.person_id_numbers[i]})
  RETURN collect({id_type: d.person_id_types[i], id_number: d.person_id_numbers[i],
                  capacity: d.person_capacities[i], effective_on: d.person_effective[i],
                  name: p.name}) AS persons
}
OPTIONAL MATCH (e:Enterprise {uscc: d.subject_uscc})
OPTIONAL MATCH (s:Person {id_type: d.subject_id_type, id_number: d.subject_id_number})
RETURN d {.*} AS draft, persons, coalesce(e.name, s.name) AS subject_name
