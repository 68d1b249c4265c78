"""Reading and checking the CSV files of organizations and members (see docs/network.md)."""
