"""Documents made from wire models, without Qt: reports as CSV and XLSX.

Floors: ``core`` ← ``schemas`` ← ``export``; the server's routes and the desktop windows both
use it (the supervisor window can save a report it already holds without asking again).
"""
