"""Staff area (/staff): sign-in, campaigns in scope, the feedback queue, accounts and the audit log."""
from . import accounts, campaigns, feedback, outbox, paper_slips, rehearsal, reports, views  # noqa: F401  (their routes attach to bp)
from .blueprint import bp  # noqa: F401
from .replies import bp as replies_bp  # noqa: F401  (public: residents read replies)
