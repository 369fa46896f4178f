"""The kiosk: citizens take a number (and check in bookings) on a touch screen."""
