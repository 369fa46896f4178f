"""The reports window: a period's figures per service, counter and officer, arrivals by hour,
the satisfaction index (IKM), and the same as CSV, XLSX or a printable PDF."""
