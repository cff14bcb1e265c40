"""Exports requested by staff (case lists, MRPiPS-03-like tables, foster-care register, project participants)
as CSV, XLSX or PDF on private storage, with expiring download links."""
