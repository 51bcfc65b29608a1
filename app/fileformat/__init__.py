"""The file format: the record spec, reading, checking, writing, the schema and atomic writes."""
