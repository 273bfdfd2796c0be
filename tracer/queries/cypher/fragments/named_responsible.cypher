// fragment named_responsible: finding `f` names person `p` DIRECTLY_RESPONSIBLE, the naming in
// effect on $as_of as known at $known_at.
EXISTS { MATCH (f)-[n:NAMES {capacity: 'DIRECTLY_RESPONSIBLE'}]->(p)
         WHERE {{ named_on }} }
