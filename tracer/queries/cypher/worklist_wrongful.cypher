// Which (finding, person) pairs have a WRONGFUL release (wrongly named: restore reputation).
// Parameters: $pairs (list of {finding_id, id_type, id_number}).
UNWIND $pairs AS pair
MATCH (:Finding {finding_id: pair.finding_id})-[x:RELEASES]->
      (:Person {id_type: pair.id_type, id_number: pair.id_number})
WHERE x.wrongful
RETURN DISTINCT pair.finding_id AS finding_id, pair.id_type AS id_type, pair.id_number AS id_number
