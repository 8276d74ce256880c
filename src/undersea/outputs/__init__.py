"""Outputs: exports, SQL, records, plots and reports: everything that writes files."""
