// The enterprise whose owners are computed.
// Parameters: $uscc.
MATCH (t:Enterprise {uscc: $uscc})
RETURN elementId(t) AS element_id, labels(t) AS labels, properties(t) AS props
