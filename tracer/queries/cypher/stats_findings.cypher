// Finding counts grouped by category (the finding's, else its list type's), list type, status,
// subject kind, province (first 2 digits of the listed enterprise's region_code; null for persons
// and unknown regions) and authority (the department code given in the finding, with the name of
// the department of that code, if any).
// Parameters: $limit (max groups).
MATCH (f:Finding)
OPTIONAL MATCH (lt:ListType {code: f.list_type})
OPTIONAL MATCH (f)-[:AGAINST]->(e:Enterprise)
OPTIONAL MATCH (d:Department {code: f.authority})
WITH coalesce(f.category, lt.category) AS category, f.list_type AS list_type, f.status AS status,
     f.subject_kind AS subject_kind, left(e.region_code, 2) AS province, f.authority AS authority,
     d.name AS authority_name
RETURN category, list_type, status, subject_kind, province, authority, authority_name,
       count(*) AS findings
ORDER BY findings DESC, category, list_type, status, province, authority
LIMIT $limit
