"""Pure domain rules: identifiers, codes, dates, masking, errors. Imports nothing of ours."""
