// Export: a page of enterprises in USCC order after $after; $usccs limits them (null = all).
// Parameters: $usccs (list of USCC or null), $after (string), $limit (int).
// Returns: uscc, props (every property of the node).
MATCH (e:Enterprise)
WHERE ($usccs IS NULL OR e.uscc IN $usccs) AND e.uscc > $after
RETURN e.uscc AS uscc, properties(e) AS props
ORDER BY e.uscc
LIMIT $limit
