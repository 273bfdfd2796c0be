// Red-listed subjects: honours valid on $as_of with their holder (enterprise or person) and, for
// enterprises, the ids of findings against them that apply on $as_of.
// Parameters: $as_of (Date), $limit (max honours).
MATCH (h:Honour)-[:GRANTED_TO]->(s)
WHERE h.granted_on <= $as_of AND (h.valid_until IS NULL OR h.valid_until >= $as_of)
WITH h, s ORDER BY h.granted_on, h.honour_id LIMIT $limit
RETURN h {.*} AS honour,
       CASE WHEN s:Enterprise THEN s {.uscc, .name} END AS enterprise,
       CASE WHEN s:Person THEN s {.id_type, .id_number, .name} END AS person,
       [(f:Finding)-[:AGAINST]->(s:Enterprise)
        WHERE f.status = 'ACTIVE' AND f.decided_on <= $as_of
          AND (f.effective_until IS NULL OR f.effective_until >= $as_of) | f.finding_id] AS findings
