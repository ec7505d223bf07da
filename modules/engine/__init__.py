"""The module engine: declarations in, models/admin/GraphQL/permissions/events out.

Definitions import their vocabulary from `modules.engine.definitions`; this
package's other modules are the machinery and know no domain.
"""
