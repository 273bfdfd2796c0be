"""Small, obviously-correct pure-Python models of the product's rules (for differential tests)."""
