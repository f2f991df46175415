"""Lookups several rule groups share: PostgreSQL parameters however each cloud sets them, which AWS
subnets are public, and what a resource's Azure management locks cover."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Resource, Stack, as_list
from bettafish.policy.tokens import (
    INTERNET_GATEWAY,
    LOCKS,
    PGC,
    RDS_PARAMETERS,
    ROUTE,
    ROUTE_TABLE,
    ROUTE_TABLE_ASSOCIATION,
    SUBNET,
)

Parameters = Mapping[str, str]


def is_replica(resource: Resource) -> bool:
    """A read replica (RDS, Cloud SQL, Azure flexible server): backups, HA and final snapshots are the primary's."""
    return bool(
        resource.get("replicateSourceDb")
        or resource.get("masterInstanceName")
        or str(resource.get("createMode", "")).lower() == "replica"
    )


def rds_parameters(stack: Stack, instance: Resource) -> Parameters | None:
    """The parameters of an RDS instance's parameter group; ``None`` when it uses the default group."""
    groups = stack.referenced(instance, "parameterGroupName", RDS_PARAMETERS)
    if not groups:
        return None
    return {str(p.get("name")): str(p.get("value")) for p in as_list(groups[0].get("parameters"))}


def cloud_sql_flags(instance: Resource) -> Parameters:
    return {str(f.get("name")): str(f.get("value")) for f in as_list(instance.get("settings.databaseFlags"))}


def azure_parameters(stack: Stack, server: Resource) -> Parameters:
    """Server parameters set by ``Configuration`` resources on an Azure flexible server."""
    return {str(c.get("configurationName")): str(c.get("value")) for c in stack.referencing(server, "serverName", PGC)}


def postgres_parameters(stack: Stack, instance: Resource) -> Parameters | None:
    """The PostgreSQL parameters a database sets, whichever cloud it is on."""
    if instance.type.startswith("aws:"):
        return rds_parameters(stack, instance)
    if instance.type.startswith("gcp:"):
        return cloud_sql_flags(instance)
    return azure_parameters(stack, instance)


def is_on(value: str | None) -> bool:
    return value is not None and value.lower() in ("1", "on", "true")


def public_subnets(stack: Stack) -> set[str]:
    """URNs of the AWS subnets whose route table sends traffic to an internet gateway."""
    to_internet: set[str] = set()
    for table in stack.of_type(ROUTE_TABLE):
        inline = any(str(route.get("gatewayId", "")).startswith("igw-") for route in as_list(table.get("routes")))
        if inline:
            to_internet.add(table.urn)
    for route in stack.of_type(ROUTE):
        if stack.referenced(route, "gatewayId", INTERNET_GATEWAY) or str(route.get("gatewayId", "")).startswith("igw-"):
            to_internet.update(route.property_dependencies.get("routeTableId", ()))
    public = {s.urn for s in stack.of_type(SUBNET) if s.get("mapPublicIpOnLaunch") is True}
    for association in stack.of_type(ROUTE_TABLE_ASSOCIATION):
        if set(association.property_dependencies.get("routeTableId", ())) & to_internet:
            public.update(association.property_dependencies.get("subnetId", ()))
    return public


def subnets_of(stack: Stack, resource: Resource, prop: str = "subnetIds") -> list[Resource]:
    return stack.referenced(resource, prop, SUBNET)


def locked(stack: Stack, resource: Resource) -> bool:
    """A ``CanNotDelete`` (or ``ReadOnly``) management lock covers ``resource``: its scope came from
    the resource itself or from its resource group."""
    scopes = {resource.urn, *resource.property_dependencies.get("resourceGroupName", ())}
    for lock in stack.of_type(*LOCKS):
        if lock.get("level") not in ("CanNotDelete", "ReadOnly"):
            continue
        covers = set(lock.property_dependencies.get("scope", ())) | set(
            lock.property_dependencies.get("resourceName", ())
        )
        covers |= (
            set(lock.property_dependencies.get("resourceGroupName", ()))
            if lock.type.endswith("ResourceGroupLevel")
            else set()
        )
        if covers & scopes:
            return True
    return False


def walk(value: Any, key: str) -> Iterator[Any]:
    """Every value stored under ``key`` anywhere inside ``value``."""
    if isinstance(value, Mapping):
        for k, v in value.items():
            if k == key:
                yield v
            yield from walk(v, key)
    elif isinstance(value, list):
        for item in value:
            yield from walk(item, key)


def days(duration: Any) -> float | None:
    """``"7776000s"`` (GCP) or ``"P90D"`` (ISO 8601 days) in days."""
    text = str(duration or "")
    if text.endswith("s") and text[:-1].replace(".", "", 1).isdigit():
        return float(text[:-1]) / 86400
    if text.startswith("P") and text.endswith("D") and text[1:-1].isdigit():
        return float(text[1:-1])
    return None
