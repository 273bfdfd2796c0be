// Enterprises checked like persons, many in one round trip: the findings against each that apply
// on $as_of as known at $known_at (their measures come from the memoranda tables), and its
// related risk — findings against its current officers and declared controllers (HOLDS) and
// against upstream holders reached through OWNS chains held on $as_of (at most 4 links; the
// caller sums the penetrated shares). Related risk is information, never a restriction.
// Parameters: $usccs (list), $as_of (Date), $known_at (DateTime), $limit (max rows per part).
OPTIONAL MATCH (state:ReferenceState)
WITH state.stamp AS stamp
UNWIND range(0, size($usccs) - 1) AS i
WITH stamp, i, $usccs[i] AS uscc
OPTIONAL MATCH (s:Enterprise {uscc: uscc})
OPTIONAL CALL (s) {
  WITH s WHERE s IS NOT NULL
  MATCH (s)<-[:AGAINST]-(f:Finding)
  WITH s, f, {{ finding_state }}
  WHERE applies
  {{ list_type_in_force }}
  WITH f, lt ORDER BY f.decided_on DESC, f.finding_id LIMIT $limit
  RETURN collect({finding: {{ finding_fields }}, category: coalesce(f.category, lt.category)})
         AS own
}
OPTIONAL CALL (s) {
  WITH s WHERE s IS NOT NULL
  MATCH (s)<-[h:HOLDS]-(p:Person)<-[:AGAINST]-(f:Finding)
  WITH s, h, p, f, properties(h) AS hp
  WHERE (hp.start_date IS NULL OR hp.start_date <= $as_of)
    AND (hp.end_date IS NULL OR hp.end_date >= $as_of)
  WITH s, h, p, f, {{ finding_state }}
  WHERE applies
  WITH h, p, f LIMIT $limit
  RETURN collect({role: h.role, person: p {.id_type, .id_number, .name},
                  since: h.start_date, finding: {{ finding_fields }}}) AS officers
}
OPTIONAL CALL (s) {
  WITH s WHERE s IS NOT NULL
  MATCH chain = (s)(()<-[o:OWNS
      WHERE (o.start_date IS NULL OR o.start_date <= $as_of)
        AND (o.end_date IS NULL OR o.end_date >= $as_of)]-()){1,4}(holder)
  WHERE holder <> s AND EXISTS { (holder)<-[:AGAINST]-(:Finding) }
  WITH holder, chain LIMIT $limit
  RETURN collect({holder: elementId(holder),
                  nodes: [x IN reverse(nodes(chain)) |
                          {uscc: x.uscc, code: x.code, id_type: x.id_type, id_number: x.id_number,
                           name: x.name, person: x:Person}],
                  shares: [x IN reverse(relationships(chain)) | x.share]}) AS chains
}
OPTIONAL CALL (chains) {
  UNWIND [c IN coalesce(chains, []) | c.holder] AS holder_id
  WITH DISTINCT holder_id
  MATCH (holder) WHERE elementId(holder) = holder_id
  MATCH (holder)<-[:AGAINST]-(f:Finding)
  WITH holder_id, f, {{ finding_state }}
  WHERE applies
  RETURN collect({holder: holder_id, finding: {{ finding_fields }}}) AS holder_findings
}
RETURN stamp, i, uscc, s IS NOT NULL AS known, s.name AS name, s.region_code AS region_code,
       coalesce(own, []) AS own, coalesce(officers, []) AS officers,
       coalesce(chains, []) AS chains, coalesce(holder_findings, []) AS holder_findings
ORDER BY i
