// Install the reference tables: MERGE ListType, Rule and Measure nodes by key and set every column
// (a null column removes the property). Idempotent.
// Parameters: $list_types, $rules, $measures — lists of maps with the columns of docs/GRAPH_MODEL.md.
CALL () {
  UNWIND $list_types AS row
  MERGE (l:ListType {code: row.code})
  SET l += row
}
CALL () {
  UNWIND $rules AS row
  MERGE (r:Rule {rule_id: row.rule_id})
  SET r += row
}
CALL () {
  UNWIND $measures AS row
  MERGE (m:Measure {code: row.code})
  SET m += row
}
RETURN 1 AS done
