"""The BettaFish policy pack: security rules 1-40 of security-rules.md, mandatory, on every cloud.

Run with ``pulumi preview --policy-pack policy`` from the project (add ``--policy-pack-config
policy/config.staging.json`` for staging). Constructing ``PolicyPack`` starts the analyzer's gRPC
server and never returns: the rules live in ``bettafish.policy``, importable and tested offline.
"""

from pulumi_policy import EnforcementLevel, PolicyPack

from bettafish.policy.crossguard import policies

PolicyPack(
    name="bettafish-security",
    enforcement_level=EnforcementLevel.MANDATORY,
    policies=policies(),
)
