"""The waiting-room TV: live calls, counters, queues, running text, clock, media."""
