// Install reference-table rows: MERGE each version by version_id under its label and replace its
// properties; record each change (ReferenceChange, append-only); bump the install stamp when
// anything changed. Rows of an earlier, unversioned schema (no version_id) are removed first: the
// shipped tables and overrides replace them.
// Parameters: $nodes (list of {label, version_id, props}), $changes (list of {change_id, stem,
// version_id, actor, at, before, after}), $stamp (string, or null when nothing changed), $at.
CALL () {
  MATCH (old)
  WHERE (old:Rule OR old:Measure OR old:ListType) AND old.version_id IS NULL
  DETACH DELETE old
}
CALL () {
  UNWIND $nodes AS node
  CALL (node) {
    WITH node WHERE node.label = 'ListType'
    MERGE (n:ListType {version_id: node.version_id})
    SET n = node.props, n.version_id = node.version_id
  }
  CALL (node) {
    WITH node WHERE node.label = 'ListTypePeriod'
    MERGE (n:ListTypePeriod {version_id: node.version_id})
    SET n = node.props, n.version_id = node.version_id
  }
  CALL (node) {
    WITH node WHERE node.label = 'ListTypeMeasure'
    MERGE (n:ListTypeMeasure {version_id: node.version_id})
    SET n = node.props, n.version_id = node.version_id
  }
  CALL (node) {
    WITH node WHERE node.label = 'Rule'
    MERGE (n:Rule {version_id: node.version_id})
    SET n = node.props, n.version_id = node.version_id
  }
  CALL (node) {
    WITH node WHERE node.label = 'Measure'
    MERGE (n:Measure {version_id: node.version_id})
    SET n = node.props, n.version_id = node.version_id
  }
  CALL (node) {
    WITH node WHERE node.label = 'BasicListEdition'
    MERGE (n:BasicListEdition {version_id: node.version_id})
    SET n = node.props, n.version_id = node.version_id
  }
  CALL (node) {
    WITH node WHERE node.label = 'MeasureBasis'
    MERGE (n:MeasureBasis {version_id: node.version_id})
    SET n = node.props, n.version_id = node.version_id
  }
}
CALL () {
  UNWIND $changes AS change
  CREATE (c:ReferenceChange)
  SET c = change
}
MERGE (s:ReferenceState {state_id: 'reference'})
ON CREATE SET s.stamp = coalesce($stamp, randomUUID()), s.installed_at = $at
WITH s
CALL (s) {
  WITH s WHERE $stamp IS NOT NULL
  SET s.stamp = $stamp, s.installed_at = $at
}
RETURN s.stamp AS stamp
