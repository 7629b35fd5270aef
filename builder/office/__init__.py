"""Office stage: CSV / JSON / XLSX out, criteria sheets in and out of spreadsheets."""
