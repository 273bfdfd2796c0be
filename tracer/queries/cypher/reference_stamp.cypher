// The stamp of the last reference-data install (changes whenever an install changed a row).
// No parameters.
MATCH (s:ReferenceState)
RETURN s.stamp AS stamp, s.installed_at AS installed_at
LIMIT 1
