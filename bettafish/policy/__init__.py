"""Security rules 1-40 (``security-rules.md``) as code: one rule function per cloud's resources over a
neutral view of the stack, run by CrossGuard (``policy/``, ``bettafish.policy.crossguard``) and over
the offline plan (``bettafish plan --policy``, ``bettafish.policy.offline``)."""
