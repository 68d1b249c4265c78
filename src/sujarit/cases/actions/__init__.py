"""Writes to cases: each function is one domain verb, keyword-only, typed, atomic, and records
its audit event in the same transaction. Split by stage of a case's life."""
