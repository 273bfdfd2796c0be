// Objections with their finding's authority and the disputing person, soonest deadline first.
// Parameters: $objection_id, $department, $finding_id, $status (each null: any), $limit (int).
MATCH (o:Objection)-[:AGAINST]->(f:Finding)
WHERE ($objection_id IS NULL OR o.objection_id = $objection_id)
  AND ($department IS NULL OR f.authority = $department)
  AND ($finding_id IS NULL OR f.finding_id = $finding_id)
  AND ($status IS NULL OR o.status = $status)
OPTIONAL MATCH (o)-[:DISPUTED_BY]->(p:Person)
RETURN o {.*} AS objection, f.finding_id AS finding_id, f.authority AS authority,
       p {.id_type, .id_number, .name} AS person
ORDER BY o.deadline, o.objection_id
LIMIT $limit
