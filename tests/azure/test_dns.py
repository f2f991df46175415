"""The stack's public Azure DNS zone: the configured domain, signed with DNSSEC, CAA naming the two
CAs the platform's certificates come from and no other, its name servers an output, protected in
prod (a new zone gets new name servers, which the registrar would have to learn again)."""

from __future__ import annotations

import pulumi
import pytest

from bettafish.plan import RecordedResource, run_offline
from components import DeployContext, DnsArgs
from providers.azure.dns import AzureDns
from tests.azure.stacks import STACKS, computed, config, inventory, named, plan
from tests.mocks import Mocks, load, stack_values

ZONE = "azure-native:dns:Zone"


def dns(stack: str, suffix: str) -> RecordedResource:
    return named(stack, "dns", suffix)


@pytest.mark.parametrize("stack", STACKS)
def test_the_zone_is_the_configured_public_domain(stack: str) -> None:
    zone = dns(stack, "zone")
    assert zone.type == ZONE
    assert zone.inputs["zoneName"] == config(stack).edge.dns.zone_name
    assert zone.inputs["zoneType"] == "Public"
    assert zone.inputs["location"] == "global"
    assert zone.inputs["resourceGroupName"] == dns(stack, "rg").id.rsplit("/", 1)[-1]


def test_the_zone_is_protected_and_locked_in_prod_only() -> None:
    assert dns("prod", "zone").protect
    assert not dns("staging", "zone").protect
    lock = dns("prod", "zone-lock")
    assert (lock.inputs["scope"], lock.inputs["level"]) == (dns("prod", "zone").id, "CanNotDelete")


@pytest.mark.parametrize("stack", STACKS)
def test_the_zone_is_signed_with_dnssec(stack: str) -> None:
    dnssec = dns(stack, "dnssec")
    assert dnssec.type == "azure-native:dns:DnssecConfig"
    assert dnssec.inputs == {
        "resourceGroupName": dns(stack, "zone").inputs["resourceGroupName"],
        "zoneName": dns(stack, "zone").inputs["zoneName"],
    }
    assert dnssec.id == f"{dns(stack, 'zone').id}/dnssecConfigs/default"


@pytest.mark.parametrize("stack", STACKS)
def test_caa_lets_digicert_and_lets_encrypt_issue_and_no_other_ca(stack: str) -> None:
    caa = dns(stack, "caa")
    assert caa.inputs["relativeRecordSetName"] == "@"
    assert caa.inputs["recordType"] == "CAA"
    assert caa.inputs["caaRecords"] == [
        {"flags": 0, "tag": "issue", "value": "digicert.com"},
        {"flags": 0, "tag": "issue", "value": "letsencrypt.org"},
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_the_name_servers_to_delegate_to_are_the_zones(stack: str) -> None:
    servers = computed(dns(stack, "zone"))["nameServers"]
    assert plan(stack).outputs["zoneNameServers"] == [s.rstrip(".") for s in servers]
    assert len(servers) == 4


@pytest.mark.parametrize("stack", STACKS)
def test_the_component_holds_the_zone_its_signing_and_its_caa_only(stack: str) -> None:
    lock = [("azure-native:authorization:ManagementLockByScope", "zone-lock")] if stack == "prod" else []
    assert inventory(stack, "dns") == [
        *lock,
        ("azure-native:dns:DnssecConfig", "dnssec"),
        ("azure-native:dns:RecordSet", "caa"),
        ("azure-native:dns:Zone", "zone"),
        ("azure-native:resources:ResourceGroup", "rg"),
    ]


def test_the_ds_records_for_the_registrar_come_from_the_zones_key_signing_key() -> None:
    cfg = load(stack_values("prod", "azure"), "prod")
    context = DeployContext(cfg.identity, cfg.cloud, cfg.provider, cfg.protect_stateful)

    def program() -> None:
        built = AzureDns(
            "ds",
            DnsArgs(
                dns=cfg.edge.dns, key_deletion_window_days=cfg.encryption.key_deletion_window_days, context=context
            ),
        )
        pulumi.export("ds", built.ds_records)

    recording = run_offline(program, project="bettafish", stack="prod", config={}, secret_keys=[], fake_cloud=Mocks())
    dnssec = recording.one("azure-native:dns:DnssecConfig")
    keys = computed(dnssec)["signingKeys"]
    assert recording.outputs["ds"] == [info["record"] for key in keys for info in key["delegationSignerInfo"]]
    (record,) = recording.outputs["ds"]
    assert record.startswith(f"{cfg.edge.dns.zone_name}. IN DS ")
    assert " 13 2 " in record, "ECDSA P-256 (13), SHA-256 digest (2)"
