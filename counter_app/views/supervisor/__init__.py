"""The supervisor console: the live board of the office, alerts and actions on tickets."""
