// fragment list_type_in_force: `lt`, the version of finding `f`'s list type valid on $as_of with
// the most specific jurisdiction for the subject `s` (null when none is valid).
CALL (f, s) {
  OPTIONAL MATCH (lt:ListType {code: f.list_type})
  WHERE lt.valid_from <= $as_of AND $as_of <= lt.valid_to
    AND (lt.jurisdiction = '' OR coalesce(s.region_code, '') STARTS WITH lt.jurisdiction)
  WITH lt ORDER BY size(lt.jurisdiction) DESC, lt.valid_from DESC LIMIT 1
  RETURN lt
}
