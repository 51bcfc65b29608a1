"""Conflict data around the talks (ACLED, UCDP GED or any table of dated rows), kept outside the
project and summarised with DuckDB into counts and fatalities per lane per day."""
