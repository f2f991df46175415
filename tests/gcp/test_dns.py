"""GCP Dns: the public Cloud DNS zone, signed with DNSSEC, CAA naming Google's two issuing CAs, its
name servers as the stack output, as recorded from the real program run offline on GCP."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from tests.mocks import edited, load, physical_name, run_program, run_stack, stack_values

STACKS = ("prod", "staging")
ZONE = "gcp:dns/managedZone:ManagedZone"
RECORD = "gcp:dns/recordSet:RecordSet"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def public_zone(stack: str) -> RecordedResource:
    return plan(stack).named(f"bettafish-{stack}-dns-zone")


def zone_name(stack: str) -> str:
    return load(stack_values(stack, "gcp"), stack).edge.dns.zone_name


@pytest.mark.parametrize("stack", STACKS)
def test_the_zone_is_public_for_the_configured_domain_and_signed(stack: str) -> None:
    zone = public_zone(stack).inputs
    assert zone["dnsName"] == f"{zone_name(stack)}."
    assert zone["visibility"] == "public"
    assert zone["dnssecConfig"] == {"state": "on", "nonExistence": "nsec3"}
    # Cloud DNS refuses changes to the key specs once signing is on: they are left to Google.
    assert "defaultKeySpecs" not in zone["dnssecConfig"]


@pytest.mark.parametrize("stack", STACKS)
def test_caa_names_exactly_the_cas_of_google_managed_certificates(stack: str) -> None:
    zone = public_zone(stack)
    (caa,) = [r for r in plan(stack).of_type(RECORD) if r.inputs["type"] == "CAA"]
    assert caa.inputs["name"] == f"{zone_name(stack)}."
    assert caa.inputs["managedZone"] == physical_name(zone)
    assert caa.inputs["rrdatas"] == ['0 issue "pki.goog"', '0 issue "letsencrypt.org"']


@pytest.mark.parametrize("stack", STACKS)
def test_the_name_servers_cloud_dns_assigned_are_the_stack_output(stack: str) -> None:
    servers = plan(stack).outputs["zoneNameServers"]
    assert len(servers) == 4
    assert all(s.startswith("ns-cloud-") and s.endswith(".googledomains.com.") for s in servers)


@pytest.mark.parametrize("stack", STACKS)
def test_the_zone_survives_a_mistaken_destroy_in_prod_and_empties_in_staging(stack: str) -> None:
    """The registrar's delegation and DS record point at this zone's servers and keys."""
    zone = public_zone(stack)
    assert zone.protect is (stack == "prod")
    assert zone.inputs["forceDestroy"] is (stack == "staging")


def test_the_zone_waits_for_the_cloud_dns_api() -> None:
    zone = public_zone("prod")
    apis = [r for r in plan("prod").of_type("gcp:projects/service:Service") if r.urn in zone.dependencies]
    assert [api.inputs["service"] for api in apis] == ["dns.googleapis.com"]


def test_the_zone_follows_the_configured_domain() -> None:
    values = edited(stack_values("prod", "gcp"), "bettafish:edge", _domain("api.example.org"))
    recording = run_program(values)
    assert recording.named("bettafish-prod-dns-zone").inputs["dnsName"] == "api.example.org."
    (caa,) = [r for r in recording.of_type(RECORD) if r.inputs["type"] == "CAA"]
    assert caa.inputs["name"] == "api.example.org."


def _domain(name: str) -> Callable[[Any], Any]:
    def change(edge: Any) -> Any:
        edge["dns"]["zoneName"] = name
        edge["tls"]["subjectAlternativeNames"] = [f"api.{name}"]
        return edge

    return change
