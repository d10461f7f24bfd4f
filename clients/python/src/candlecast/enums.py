"""The history provider's enums (``from src.Background.enums import DataResolution, DataPeriod`` in the seed)."""
from enum import Enum


class DataResolution(str, Enum):
    SECOND_01 = "1s"
    MINUTE_01 = "1m"
    MINUTE_05 = "5m"
    MINUTE_15 = "15m"
    HOUR_01 = "1h"
    HOUR_04 = "4h"
    DAY_01 = "1d"
    WEEK_01 = "1w"
    MONTH_01 = "1M"


class DataPeriod(str, Enum):
    DAY_01 = "1d"
    DAY_05 = "5d"
    MONTH_01 = "1mo"
    MONTH_03 = "3mo"
    MONTH_06 = "6mo"
    YEAR_01 = "1y"
    YEAR_02 = "2y"
    YEAR_05 = "5y"
    YEAR_MAX = "max"
