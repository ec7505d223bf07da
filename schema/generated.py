"""Namespace of the generated GraphQL classes.

`schema.generate` puts every generated type here, so that string
annotations such as "Optional[Unit]" resolve when the schema is built.
"""

from typing import List, Optional  # noqa: F401,UP035  (used by generated string annotations)

from .common import RoleType, UserAccount  # noqa: F401
