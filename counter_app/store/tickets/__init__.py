"""The ticket lifecycle, one purpose a module (``issuing``, ``calling``, ``actions``,
``expiry``, and what they share in ``common``): issue, call, recall, start, finish, skip,
return, transfer, cancel, and a supervisor's move to the front of the queue.

Each function runs inside one write transaction (``Database.write``), checks who may do it,
moves the ticket through ``core.states``, and appends one journal event as its last write.
This is the server's hot path, so it reads and writes plain rows with prepared statements
(``store.rows``, ``store.prepared``) rather than ORM objects.
"""
