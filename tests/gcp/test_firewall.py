"""GCP firewall rules from the flows (security rule 25), as recorded from the real program run
offline on GCP: ingress to the application tag, egress to the managed services' halves of the
database tier (Memorystore's node ports included), the egress guard and the logged deny-all."""

from __future__ import annotations

import pytest

from tests.gcp.network import GOOGLE_FRONT_ENDS, HALF, NET, STACKS, app_tag, database_range, firewalls


@pytest.mark.parametrize("stack", STACKS)
def test_one_firewall_per_vpc_flow_and_two_denies_but_none_for_internet_to_lb(stack: str) -> None:
    # internet-to-lb is opened by the global load balancer's forwarding rule, outside the VPC.
    assert set(firewalls(stack)) == {
        "lb-to-app",
        "ssh-from-network",
        "app-to-db",
        "app-to-cache",
        "deny-services-egress",
        "deny-all-ingress",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_only_google_front_ends_reach_the_app_port(stack: str) -> None:
    rule = firewalls(stack)["lb-to-app"]
    assert rule["direction"] == "INGRESS"
    assert rule["allows"] == [{"protocol": "tcp", "ports": ["8000"]}]
    assert sorted(rule["sourceRanges"]) == sorted(GOOGLE_FRONT_ENDS)
    assert rule["targetTags"] == [app_tag(stack)]
    assert "sourceTags" not in rule


@pytest.mark.parametrize("stack", STACKS)
def test_ssh_reaches_the_app_only_from_inside_the_network(stack: str) -> None:
    rule = firewalls(stack)["ssh-from-network"]
    assert rule["direction"] == "INGRESS"
    assert rule["allows"] == [{"protocol": "tcp", "ports": ["22"]}]
    assert rule["sourceRanges"] == [f"{NET[stack]}.0.0/16"]
    assert rule["targetTags"] == [app_tag(stack)]


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(("role", "ports"), [("app-to-db", ["5432"]), ("app-to-cache", ["6379", "11000-13047"])])
def test_app_reaches_each_managed_service_in_its_half_by_egress_rules(stack: str, role: str, ports: list[str]) -> None:
    """Memorystore for Redis Cluster redirects clients to its nodes' ports 11000-13047 on the same
    PSC endpoints: the cache flow opens them beside the discovery port."""
    rule = firewalls(stack)[role]
    assert rule["direction"] == "EGRESS"
    assert rule["allows"] == [{"protocol": "tcp", "ports": ports}]
    assert rule["targetTags"] == [app_tag(stack)]
    assert rule["destinationRanges"] == [f"{NET[stack]}.{HALF[role]}"]


@pytest.mark.parametrize("stack", STACKS)
def test_everything_else_is_denied_egress_to_the_database_range(stack: str) -> None:
    rules = firewalls(stack)
    deny = rules["deny-services-egress"]
    assert deny["direction"] == "EGRESS"
    assert deny["denies"] == [{"protocol": "all"}]
    assert deny["destinationRanges"] == [database_range(stack)]
    assert "targetTags" not in deny
    assert "allows" not in deny
    # Lower precedence is a higher number: the two allows must be evaluated first.
    assert all(rules[role]["priority"] < deny["priority"] for role in ("app-to-db", "app-to-cache"))


@pytest.mark.parametrize("stack", STACKS)
def test_explicit_logged_deny_all_ingress_just_above_the_implied_rule(stack: str) -> None:
    deny = firewalls(stack)["deny-all-ingress"]
    assert deny["direction"] == "INGRESS"
    assert deny["denies"] == [{"protocol": "all"}]
    assert deny["sourceRanges"] == ["0.0.0.0/0"]
    assert deny["priority"] == 65534
    assert "targetTags" not in deny
    assert "allows" not in deny


@pytest.mark.parametrize("stack", STACKS)
def test_no_allow_rule_is_open_to_the_internet(stack: str) -> None:
    allows = [rule for rule in firewalls(stack).values() if "allows" in rule]
    assert len(allows) == 4
    assert all("0.0.0.0/0" not in rule.get("sourceRanges", []) for rule in allows)
    assert all("denies" not in rule for rule in allows)


@pytest.mark.parametrize("stack", STACKS)
def test_every_firewall_rule_logs_with_metadata(stack: str) -> None:
    assert all(rule["logConfig"] == {"metadata": "INCLUDE_ALL_METADATA"} for rule in firewalls(stack).values())
