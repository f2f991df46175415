"""Rule 30: least privilege. No IAM statement allows every action, no grant to everyone, no
administrator grants (AWS); no owner/editor grants and no default node service account (GCP); no
Owner at subscription scope (Azure)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Resource, as_list, is_set
from bettafish.policy.rule import Rule
from bettafish.policy.tokens import (
    GKE,
    GROUP_POLICY,
    IAM_POLICY,
    KMS,
    NODE_POOL,
    ROLE,
    ROLE_ASSIGNMENT,
    ROLE_POLICY,
    ROLE_POLICY_ATTACHMENT,
    S3_POLICY,
    SECRET_POLICY,
    USER_POLICY,
)

LEAST_PRIVILEGE = Rule(30, "least-privilege", "IAM least privilege")

IDENTITY_POLICIES = {ROLE_POLICY: "policy", IAM_POLICY: "policy", USER_POLICY: "policy", GROUP_POLICY: "policy"}
RESOURCE_POLICIES = {KMS: "policy", S3_POLICY: "policy", SECRET_POLICY: "policy", ROLE: "assumeRolePolicy"}
ADMIN_POLICIES = ("AdministratorAccess", "PowerUserAccess", "IAMFullAccess")
UNSCOPED_VERBS = ("Describe", "List", "Get")
"""Read-only verbs AWS mostly cannot scope to a resource; Resource "*" is allowed for them alone..."""
DATA_SERVICES = ("s3", "secretsmanager", "ssm", "kms", "dynamodb", "sqs", "sns", "logs")
"""...but not where a read returns data (an object, a secret, a parameter, a log)."""
NARROWED_BY_CONDITION = {"cloudwatch:PutMetricData": "cloudwatch:namespace"}
"""Actions with no resource type (Resource "*" is the only form), allowed on "*" only with the
condition key that narrows them (PutMetricData to named namespaces)."""
OWNER_ROLE = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635"
GCP_PRIMITIVE_ROLES = ("roles/owner", "roles/editor")


def statements(resource: Resource, prop: str) -> list[dict[str, Any]]:
    try:
        document = json.loads(str(resource.get(prop, "")))
    except json.JSONDecodeError:
        return []
    return [s for s in as_list(document.get("Statement")) if isinstance(s, dict) and s.get("Effect") == "Allow"]


def unscoped_ok(action: str, statement: Mapping[str, Any]) -> bool:
    service, _, verb = action.partition(":")
    if verb.startswith(UNSCOPED_VERBS) and "*" not in verb and service not in DATA_SERVICES:
        return True
    key = NARROWED_BY_CONDITION.get(action)
    condition = statement.get("Condition")
    return key is not None and isinstance(condition, dict) and bool(condition.get("StringEquals", {}).get(key))


@LEAST_PRIVILEGE.on(*IDENTITY_POLICIES)
def _identity_policy(policy: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    for statement in statements(policy, "policy"):
        actions = [str(a) for a in as_list(statement.get("Action"))]
        if "*" in actions or "*:*" in actions or is_set(statement.get("NotAction")):
            yield Finding("policy", f"statement {statement.get('Sid', '')} allows every action")
        if "*" in as_list(statement.get("Resource")) and not all(unscoped_ok(a, statement) for a in actions):
            yield Finding("policy", f"statement {statement.get('Sid', '')} allows {actions} on every resource")


@LEAST_PRIVILEGE.on(*RESOURCE_POLICIES)
def _resource_policy(resource: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    # In a resource policy Resource "*" means the resource itself (a key policy's key): not checked.
    prop = RESOURCE_POLICIES[resource.type]
    for statement in statements(resource, prop):
        if "*" in as_list(statement.get("Action")):
            yield Finding(prop, f"statement {statement.get('Sid', '')} allows every action")
        principal = statement.get("Principal")
        everyone = principal == "*" or (isinstance(principal, dict) and "*" in as_list(principal.get("AWS")))
        if everyone:
            yield Finding(prop, f"statement {statement.get('Sid', '')} allows everyone (Principal *)")


@LEAST_PRIVILEGE.on(ROLE_POLICY_ATTACHMENT)
def _managed_policy(attachment: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    arn = str(attachment.get("policyArn", ""))
    if arn.startswith("arn:aws:iam::aws:policy/") and arn.rsplit("/", 1)[-1] in ADMIN_POLICIES:
        yield Finding("policyArn", f"grants {arn.rsplit('/', 1)[-1]}")


@LEAST_PRIVILEGE.on_family(
    lambda t: t.startswith("gcp:") and t.endswith(("IAMMember", "IAMBinding")), "gcp:*IAMMember, gcp:*IAMBinding"
)
def _gcp_grant(grant: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if grant.get("role") in GCP_PRIMITIVE_ROLES:
        yield Finding("role", f"grants the primitive role {grant.get('role')}")


@LEAST_PRIVILEGE.on(GKE, NODE_POOL)
def _node_service_account(resource: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    account = str(resource.get("nodeConfig.serviceAccount", "default"))
    if account == "default" or account.endswith("-compute@developer.gserviceaccount.com"):
        yield Finding("nodeConfig.serviceAccount", "must be the cluster's own node service account, not the default")


@LEAST_PRIVILEGE.on(ROLE_ASSIGNMENT)
def _azure_owner(assignment: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    scope = str(assignment.get("scope", "")).rstrip("/")
    broad = scope == "" or "/resourceGroups/" not in scope
    if str(assignment.get("roleDefinitionId", "")).endswith(OWNER_ROLE) and broad:
        yield Finding("roleDefinitionId", "Owner at subscription (or wider) scope")


RULES = (LEAST_PRIVILEGE,)
