"""Pages of the network app: public pages, private files and staff pages."""
