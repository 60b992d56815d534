"""Places as people write them: GeoNames cities by any name, script or spelling."""

from bot.features.places.countries import country_of
from bot.features.places.index import City, Index
from bot.features.places.names import fold, key, same_name
from bot.features.places.resolution import (
    Resolution,
    default_index,
    place_values,
    resolve,
    standard_offset,
)

__all__ = [
    "City",
    "Index",
    "Resolution",
    "country_of",
    "default_index",
    "fold",
    "key",
    "place_values",
    "resolve",
    "same_name",
    "standard_offset",
]
