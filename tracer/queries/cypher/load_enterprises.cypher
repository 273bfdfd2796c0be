// Loader: MERGE enterprises by USCC and set the given properties (absent ones are kept).
// Parameters: $rows — list of {uscc, props: {name, kind, ownership, status, region_code,
// established_on, address, name_pinyin, name_pinyin_joined, name_initials}}.
// Returns: written (row count).
UNWIND $rows AS row
MERGE (e:Enterprise {uscc: row.uscc})
SET e += row.props
RETURN count(*) AS written
