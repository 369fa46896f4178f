"""Routes, one module per feature; thin: parse, check, hand over to the store."""
