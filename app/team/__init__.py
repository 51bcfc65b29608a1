"""Teams: three-way merge and diff of projects by meaning."""
