// fragment rule_reaches_named: rule `r` (a node, or its rule_fields) reaches a person named with
// the capacity of naming `n`.
n.capacity IN r.named_capacities
