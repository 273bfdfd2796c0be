// The profile of one enterprise: its properties, superior departments, every position (HOLDS,
// current and past), direct shareholders (OWNS; persons, enterprises, departments), registered
// practitioners (REGISTERED_AT), red-list honours and external listings (LISTED_AS: another
// body's sanction list, e.g. from OpenSanctions; never a finding). No row for an unknown USCC.
// Parameters: $uscc (string), $limit (max rows per list).
MATCH (e:Enterprise {uscc: $uscc})
CALL (e) {
  OPTIONAL MATCH (e)-[:SUPERVISED_BY]->(d:Department)
  RETURN collect(d {.code, .name, .kind})[..$limit] AS superiors
}
CALL (e) {
  OPTIONAL MATCH (p:Person)-[h:HOLDS]->(e)
  WITH p, h ORDER BY h.start_date DESC LIMIT $limit
  RETURN collect(CASE WHEN p IS NOT NULL THEN
    {person: p {.id_type, .id_number, .name}, role: h.role, start_date: h.start_date,
     end_date: h.end_date} END) AS officers
}
CALL (e) {
  OPTIONAL MATCH (holder)-[o:OWNS]->(e)
  WITH holder, o ORDER BY o.share DESC LIMIT $limit
  RETURN collect(CASE WHEN holder IS NOT NULL THEN
    {kind: CASE WHEN holder:Person THEN 'PERSON' WHEN holder:Enterprise THEN 'ENTERPRISE'
                ELSE 'DEPARTMENT' END,
     person: CASE WHEN holder:Person THEN holder {.id_type, .id_number, .name} END,
     code: coalesce(holder.uscc, holder.code), name: holder.name,
     share: o.share, share_min: o.share_min, share_max: o.share_max,
     start_date: o.start_date, end_date: o.end_date} END) AS shareholders
}
CALL (e) {
  OPTIONAL MATCH (p:Person)-[r:REGISTERED_AT]->(e)
  WITH p, r ORDER BY r.start_date DESC LIMIT $limit
  RETURN collect(CASE WHEN p IS NOT NULL THEN
    {person: p {.id_type, .id_number, .name}, qualification: r.qualification,
     certificate_no: r.certificate_no, start_date: r.start_date, end_date: r.end_date} END)
    AS practitioners
}
CALL (e) {
  OPTIONAL MATCH (h:Honour)-[:GRANTED_TO]->(e)
  WITH h ORDER BY h.granted_on DESC LIMIT $limit
  RETURN collect(h {.*}) AS honours
}
CALL (e) {
  OPTIONAL MATCH (e)-[:LISTED_AS]->(l:ExternalListing)
  WITH l ORDER BY l.start_date DESC LIMIT $limit
  RETURN collect(l {.listing_id, .source, .program, .reason, .authority, .country, .source_url,
                    .start_date, .end_date, .topics}) AS external_listings
}
RETURN e {.*} AS enterprise, superiors, officers, shareholders, practitioners, honours,
       external_listings
