// Export: shareholdings (OWNS) and positions (HOLDS) into the enterprises $usccs, from persons
// and enterprises (departments are not exported).
// Parameters: $usccs (list of USCC), $limit (int). Returns: type, investee, holder_uscc,
// holder_id_type, holder_id_number, props.
UNWIND $usccs AS uscc
MATCH (e:Enterprise {uscc: uscc})<-[r:OWNS|HOLDS]-(h)
WHERE h:Person OR h:Enterprise
RETURN type(r) AS type, e.uscc AS investee, h.uscc AS holder_uscc, h.id_type AS holder_id_type,
       h.id_number AS holder_id_number, properties(r) AS props
ORDER BY investee, type, holder_uscc, holder_id_number, props.start_date
LIMIT $limit
