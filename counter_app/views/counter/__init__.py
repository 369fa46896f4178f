"""The counter officer's window: call next, recall, serve, skip, transfer."""
