"""What the booking web pages (``server/web/routes.py``) use of ``store.booking``, under the
names they know. Kept only while those pages are reorganised; new code imports
``store.booking.<module>`` directly."""

from counter_app.store.booking.lifecycle import get_booking
from counter_app.store.booking.slots import list_slots

__all__ = ["get_booking", "list_slots"]
