"""The cases part of the JSON API under /api/v1/ (see ``sujarit.api``)."""
