"""A typed, Qt-free client of the server: requests for calls, a thread for the event stream."""
