// Releases (and suspensions) of persons from findings in force on $as_of: whether any was
// WRONGFUL (wrongly named: restore reputation) and the latest effective date on or before
// $as_of (when a lift became due).
// Parameters: $pairs (list of {finding_id, id_type, id_number}), $as_of (Date).
UNWIND $pairs AS pair
MATCH (:Finding {finding_id: pair.finding_id})-[x:RELEASES]->
      (:Person {id_type: pair.id_type, id_number: pair.id_number})
WHERE x.effective_on <= $as_of
RETURN pair.finding_id AS finding_id, pair.id_type AS id_type, pair.id_number AS id_number,
       any(flag IN collect(x.wrongful) WHERE flag) AS wrongful, max(x.effective_on) AS effective_on
