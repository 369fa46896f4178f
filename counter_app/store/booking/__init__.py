"""Online bookings, one purpose a module: ``holidays`` and ``settings`` (set up by an admin),
``bookable`` (what booking a service needs, cached), ``slots`` (the days and places on offer,
and taking a place), ``lifecycle`` (book, look up, cancel, check in), ``expiry`` (no-shows) and
``wire`` (what a booking looks like on the wire and in the journal).

Places in a slot are counted in ``booking_slots``: a booking increments its slot's row with an
upsert (``INSERT … ON CONFLICT DO UPDATE … RETURNING booked``) and gives up if that passes the
capacity, rolling the increment back with everything else. The upsert's row lock orders
concurrent bookings of one slot (PostgreSQL; SQLite serialises writers anyway), so a slot
never holds more bookings than its capacity however many arrive at once. Locks are taken in a
fixed order — booking row, slot row, daily ticket counter, journal sequence last — so two
transactions cannot deadlock.
"""
