// Upgrade: write the pinyin search keys of names (tracer/queries/names.py) onto the nodes.
// Parameters: $rows — list of {id (element id), props: {name_pinyin, name_pinyin_joined,
// name_initials}}. Returns: upgraded (node count).
UNWIND $rows AS row
MATCH (n) WHERE elementId(n) = row.id
SET n += row.props
RETURN count(n) AS upgraded
