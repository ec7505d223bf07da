"""django-simple-history's `HistoricalRecords`, minus a receiver that outlives its job.

`HistoricalRecords.contribute_to_class` connects `finalize` to `class_prepared` (strongly) so that,
once its model class is ready, the history model is built. After that, for a non-inherited
history, `finalize` does nothing for any other class, yet it stays connected and Django calls it
for every model class created afterwards. `migrate` creates a great many: it re-renders every model
related to the one an operation changes, and everything here is related through `auth.User`, about
88,500 classes for a fresh database (counted). With ~80 receivers left, `class_prepared` alone took ~8 % of a
fresh `migrate` (docs/benchmarks.md, "Test database creation"). Leaving once done changes no model,
no table and no migration.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import class_prepared
from simple_history.models import HistoricalRecords


class EngineHistoricalRecords(HistoricalRecords):
    """`HistoricalRecords` whose `class_prepared` receiver disconnects once its model has a history."""

    def finalize(self, sender: Any, **kwargs: Any) -> None:
        super().finalize(sender, **kwargs)
        if sender is self.cls and not self.inherit:
            # Signal.send iterates a copy of its receivers, so leaving while it runs is safe.
            class_prepared.disconnect(self.finalize)
