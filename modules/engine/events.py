"""Change events, raised only after the writing transaction commits.

The engine announces; `realtime` (or anything else) listens. Keeping the
transport out of the engine lets a test, a webhook or an audit sink hook in
the same way.
"""

from django.dispatch import Signal

# kwargs: entity (Entity), action ("created" | "updated" | "deleted": the API's RecordAction),
# snapshot (dict with id, version, owner_unit_id, created_by_id, is_shared, state)
record_committed = Signal()
