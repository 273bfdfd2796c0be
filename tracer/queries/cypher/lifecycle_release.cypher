// Release (or suspend) one person from one finding: a RELEASES edge keyed by its effective date
// and kind, recorded at the server's time (idempotent: an identical release is kept unchanged and
// returned with created = false).
// Parameters: $finding_id, $id_type, $id_number, $release (map: effective_on, wrongful,
// suspension (optional), actor, reason, document), $recorded_at (DateTime).
MATCH (f:Finding {finding_id: $finding_id})
OPTIONAL MATCH (p:Person {id_type: $id_type, id_number: $id_number})
OPTIONAL CALL (f, p) {
  WITH f, p WHERE p IS NOT NULL
  OPTIONAL MATCH (f)-[old:RELEASES {effective_on: $release.effective_on,
                                    wrongful: $release.wrongful}]->(p)
  WHERE coalesce(old.suspension, false) = coalesce($release.suspension, false)
  WITH f, p, old IS NULL AS created
  CALL (f, p, created) {
    WITH f, p WHERE created
    CREATE (f)-[x:RELEASES]->(p)
    SET x = $release, x.recorded_at = $recorded_at
  }
  MATCH (f)-[r:RELEASES {effective_on: $release.effective_on, wrongful: $release.wrongful}]->(p)
  WHERE coalesce(r.suspension, false) = coalesce($release.suspension, false)
  RETURN r {.*} AS release, created
  LIMIT 1
}
RETURN p IS NOT NULL AS person_found, p.name AS name, release, created
