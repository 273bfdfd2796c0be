// End the open suspensions of one person under one finding: liabilities resume on $until.
// Parameters: $finding_id, $id_type, $id_number, $until (Date), $recorded_at (DateTime).
MATCH (f:Finding {finding_id: $finding_id})-[x:RELEASES]->
      (p:Person {id_type: $id_type, id_number: $id_number})
WHERE x.suspension AND x.until IS NULL
SET x.until = $until, x.until_recorded_at = $recorded_at
RETURN count(x) AS ended
