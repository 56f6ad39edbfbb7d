from catalogue.records import register

from .filters import InstrumentFilter
from .models import Instrument

register(Instrument, filterset=InstrumentFilter)
