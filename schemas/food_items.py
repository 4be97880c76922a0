"""food_items: logged food per entry (Cronometer), per meal (MyFitnessPal) or per day (totals).

`granularity` says which: "item", "meal" or "day". Carbohydrate is total carbohydrate with
fibre included (US label convention).
"""

from __future__ import annotations

import pandera.polars as pa
import polars as pl

from schemas._checks import DailyRow
from schemas.rules import within_rounding

KEY = ("person", "source", "date", "entry_id")
# A newer export of the same app is the truth for each day it covers: its days replace the
# stored days whole, so an entry deleted in the app disappears here too.
REPLACE_BY = ("person", "source", "date")
MAX_KCAL_PER_DAY = 30_000


class FoodItems(DailyRow):
    entry_id: str
    time: pl.Time = pa.Field(nullable=True)
    meal: str = pa.Field(nullable=True)
    food_name: str = pa.Field(nullable=True)
    granularity: str = pa.Field(isin=["item", "meal", "day"])
    kcal: pl.Float64 = pa.Field(nullable=True, ge=0, le=10_000)
    carbs_g: pl.Float64 = pa.Field(nullable=True, ge=0, le=2_000)
    fiber_g: pl.Float64 = pa.Field(nullable=True, ge=0, le=500)
    sugars_g: pl.Float64 = pa.Field(nullable=True, ge=0, le=2_000)
    added_sugars_g: pl.Float64 = pa.Field(nullable=True, ge=0, le=2_000)
    protein_g: pl.Float64 = pa.Field(nullable=True, ge=0, le=1_000)
    fat_g: pl.Float64 = pa.Field(nullable=True, ge=0, le=1_000)

    @pa.dataframe_check(name="fiber_g_not_above_carbs_g")
    def _fiber_within_carbs(cls, data):
        return data.lazyframe.select(within_rounding("fiber_g", "carbs_g"))

    @pa.dataframe_check(name="sugars_g_not_above_carbs_g")
    def _sugars_within_carbs(cls, data):
        return data.lazyframe.select(within_rounding("sugars_g", "carbs_g"))

    # per day, not only per entry: no day of eating reaches 30,000 kcal (a unit mix-up, or
    # the same export pasted in many times); the whole day is held back, said row by row
    @pa.dataframe_check(name="kcal_at_most_30000_a_day")
    def _day_energy_plausible(cls, data):
        day = pl.col("kcal").fill_null(0).sum().over("person", "source", "date")
        return data.lazyframe.select(day <= MAX_KCAL_PER_DAY)


MODEL = FoodItems
