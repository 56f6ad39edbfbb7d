from catalogue.records import register

from .filters import EventFilter
from .models import Event

register(Event, filterset=EventFilter)
