// Every installed reference-table row (all versions), with its label.
// Parameters: $labels (the reference labels: ListType, ListTypePeriod, ListTypeMeasure, Rule,
// Measure, BasicListEdition, MeasureBasis).
// The labels are written out (a test keeps them equal to reference.TABLES) so that each is read
// through its version_id constraint: a label taken from a parameter makes Neo4j 5 scan every
// node of the graph, once per label, on every load.
MATCH (n:ListType|ListTypePeriod|ListTypeMeasure|Rule|Measure|BasicListEdition|MeasureBasis)
WHERE n.version_id IS NOT NULL
UNWIND [label IN labels(n) WHERE label IN $labels] AS label
RETURN label, properties(n) AS props
