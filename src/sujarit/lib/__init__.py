"""Small helpers that know nothing about the domain."""
