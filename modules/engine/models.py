"""Engine tables, and the moment every declared module becomes models.

Django imports this file while loading models; `build_all()` then builds
each installed module's entities from its definition.
"""

from django.db import models

from .i18n import bilingual
from .registry import build_all


class NumberCounter(models.Model):
    """The last number handed out per register and period (e.g. `tasks.Task`, `NV-2026-`).

    Rows are locked with SELECT … FOR UPDATE inside the inserting transaction,
    so numbers are gap-free: a rolled-back insert also rolls back its number.
    """

    register = models.CharField(bilingual("Sổ", "Register"), max_length=100)
    period = models.CharField(bilingual("Kỳ", "Period"), max_length=100)
    value = models.PositiveBigIntegerField(bilingual("Số cuối", "Last value"), default=0)

    class Meta:
        verbose_name = bilingual("Bộ đếm số hiệu", "Number counter")
        verbose_name_plural = bilingual("Bộ đếm số hiệu", "Number counters")
        constraints = [models.UniqueConstraint(fields=["register", "period"], name="engine_counter_unique")]

    def __str__(self) -> str:
        return f"{self.register} {self.period}: {self.value}"


build_all()
