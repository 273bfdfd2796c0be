// Upgrade: persons and enterprises whose name has no pinyin search keys yet (written by a version
// before name search), one batch at a time.
// Parameters: $limit (int). Returns: id (element id), name.
CALL () {
  MATCH (n:Person) WHERE n.name IS NOT NULL AND n.name_pinyin IS NULL RETURN n
  UNION
  MATCH (n:Enterprise) WHERE n.name IS NOT NULL AND n.name_pinyin IS NULL RETURN n
}
RETURN elementId(n) AS id, n.name AS name
LIMIT $limit
