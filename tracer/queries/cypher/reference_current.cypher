// Every installed reference-table row (all versions), with its label.
// Parameters: $labels (the reference labels: ListType, ListTypePeriod, ListTypeMeasure, Rule,
// Measure, BasicListEdition, MeasureBasis).
UNWIND $labels AS label
MATCH (n)
WHERE label IN labels(n) AND n.version_id IS NOT NULL
RETURN label, properties(n) AS props
