"""Helpers shared by the AWS constraint modules: policies, look-ups, roles that must be ready."""

from __future__ import annotations

import json
from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from bettafish.plan.fake_cloud.constraints import registered

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"


def as_list(item: Any) -> list[Any]:
    if item is None:
        return []
    return item if isinstance(item, list) else [item]


def statements(policy: Any) -> list[dict[str, Any]]:
    """The statements of a JSON policy document (none when it is not known yet)."""
    if not isinstance(policy, str):
        return []
    try:
        document = json.loads(policy)
    except json.JSONDecodeError:
        return []
    return [s for s in as_list(document.get("Statement")) if isinstance(s, dict)]


def principals(statement: dict[str, Any], kind: str) -> list[str]:
    """The ``Service`` or ``AWS`` principals a statement names."""
    principal = statement.get("Principal")
    return [str(p) for p in as_list(principal.get(kind))] if isinstance(principal, dict) else []


def allows(statement: dict[str, Any], action: str) -> bool:
    """Whether an Allow statement's actions cover ``action`` (patterns as IAM reads them: ``kms:*``
    and ``kms:GenerateDataKey*`` cover ``kms:GenerateDataKey``; case does not matter)."""
    if statement.get("Effect") != "Allow":
        return False
    return any(fnmatchcase(action.lower(), str(pattern).lower()) for pattern in as_list(statement.get("Action")))


def find(before: Sequence[RecordedResource], type_token: str, resource_id: Any) -> RecordedResource | None:
    """The resource of ``type_token`` registered before with id ``resource_id``."""
    return next((r for r in registered(before, type_token) if r.id and r.id == resource_id), None)


def role_permissions(before: Sequence[RecordedResource], role_arn: Any) -> list[RecordedResource] | None:
    """The inline policies and attachments of the role ``role_arn`` names, or None when that role
    is not one of the program's own (an existing role: nothing to judge)."""
    role_name = str(role_arn).rsplit("/", 1)[-1]
    if not any(r.id == role_name for r in registered(before, ROLE)):
        return None
    return [
        r
        for r in (*registered(before, ROLE_POLICY), *registered(before, ROLE_POLICY_ATTACHMENT))
        if r.inputs.get("role") == role_name
    ]


def role_not_ready(resource: RecordedResource, before: Sequence[RecordedResource], role_arn: Any) -> bool:
    """The resource hands an AWS service a role of ours without waiting for the role's permissions:
    IAM is eventually consistent, and the service checks the role when the resource is created."""
    if not role_arn:
        return False
    permissions = role_permissions(before, role_arn)
    if permissions is None:
        return False
    return not {p.urn for p in permissions} & set(resource.dependencies)


def unprotected(resource: RecordedResource) -> bool:
    return not resource.protect and not resource.options.get("retainOnDelete")


def unique_per_lifetime(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """Whether the resource depends on a pulumi-random value (a name drawn anew after a destroy)."""
    randoms = {r.urn for r in before if r.type.startswith("random:")}
    return bool(randoms & set(resource.dependencies))


def fixed_final_snapshot(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """Destroyable, takes a final snapshot, and its name is the same in every lifetime of the stack."""
    takes_snapshot = resource.inputs.get("finalSnapshotIdentifier") and not resource.inputs.get("skipFinalSnapshot")
    return bool(takes_snapshot) and unprotected(resource) and not unique_per_lifetime(resource, before)
