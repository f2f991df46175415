"""AWS Workloads at the edge of the network: the API gateway's ALB Ingress (HTTPS only, TLS
1.2+, IP targets from the public subnets, the gateway's health check), its ACM certificate validated
in the public zone, the ``origin`` alias to the ALB, and the private zone of the data services."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.plan.fake_cloud.kubernetes import INGRESS_STATUS
from tests.aws.apps import INGRESS, RECORD, STACKS, ZONE, apps, config, named, plan, plan_in, public_zone

CERTIFICATE = "aws:acm/certificate:Certificate"
VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
A = "alb.ingress.kubernetes.io/"


def ingress(stack: str) -> Any:
    return named(plan(stack), f"{apps(stack)}-api-gateway", INGRESS)


def controller_annotations(stack: str) -> dict[str, str]:
    found: dict[str, str] = ingress(stack).inputs["metadata"]["annotations"]
    return found


@pytest.mark.parametrize("stack", STACKS)
def test_the_gateway_is_behind_an_internet_facing_alb_with_ip_targets(stack: str) -> None:
    spec = ingress(stack).inputs["spec"]
    assert spec["ingressClassName"] == "alb"
    ((path,),) = [rule["http"]["paths"] for rule in spec["rules"]]
    assert path == {
        "path": "/",
        "pathType": "Prefix",
        "backend": {"service": {"name": "api-gateway", "port": {"number": 80}}},
    }
    assert ingress(stack).inputs["metadata"]["namespace"] == "bettafish"
    found = controller_annotations(stack)
    assert (found[f"{A}scheme"], found[f"{A}target-type"], found[f"{A}ip-address-type"]) == (
        "internet-facing",
        "ip",
        "ipv4",
    )


@pytest.mark.parametrize("stack", STACKS)
def test_the_alb_listens_on_https_only_with_tls_1_2_or_newer(stack: str) -> None:
    """CloudFront, its only client, reaches it over HTTPS; viewers' HTTP is redirected at CloudFront."""
    found = controller_annotations(stack)
    assert found[f"{A}listen-ports"] == '[{"HTTPS": 443}]'
    assert f"{A}ssl-redirect" not in found
    assert config(stack).edge.tls.min_version == "1.2"
    assert found[f"{A}ssl-policy"] == "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09"
    logs = [b for b in plan(stack).of_type("aws:s3/bucket:Bucket") if b.name == f"bettafish-{stack}-store-logs"]
    assert found[f"{A}load-balancer-attributes"] == (
        "routing.http.drop_invalid_header_fields.enabled=true,access_logs.s3.enabled=true,"
        f"access_logs.s3.bucket={logs[0].id},access_logs.s3.prefix=alb"
    )


@pytest.mark.parametrize("stack", STACKS)
def test_the_alb_lives_in_the_public_subnets_with_the_load_balancer_group(stack: str) -> None:
    found, recording = controller_annotations(stack), plan(stack)
    assert found[f"{A}subnets"].split(",") == recording.outputs["publicSubnetIds"]
    (group,) = [g for g in recording.of_type("aws:ec2/securityGroup:SecurityGroup") if g.name.endswith("-net-lb")]
    assert found[f"{A}security-groups"] == group.id
    # The network's lb-to-app flow admits the ALB to the pods; the controller touches no group.
    assert found[f"{A}manage-backend-security-group-rules"] == "false"


@pytest.mark.parametrize("stack", STACKS)
def test_the_target_group_checks_the_gateways_health_path(stack: str) -> None:
    check = config(stack).services.api_gateway.health_check
    found = controller_annotations(stack)
    assert {k.removeprefix(A): v for k, v in found.items() if "health" in k or k.endswith("-count")} == {
        "healthcheck-protocol": "HTTP",
        "healthcheck-port": "traffic-port",
        "healthcheck-path": check.path,
        "healthcheck-interval-seconds": str(check.interval_seconds),
        "healthcheck-timeout-seconds": str(check.timeout_seconds),
        "healthy-threshold-count": str(check.healthy_threshold),
        "unhealthy-threshold-count": str(check.unhealthy_threshold),
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_ingress_waits_for_the_load_balancer_controller_and_the_issued_certificate(stack: str) -> None:
    recording = plan(stack)
    (controller,) = [r for r in recording.of_type("kubernetes:helm.sh/v3:Release") if r.name.endswith("-lb-controller")]
    assert controller.urn in ingress(stack).dependencies
    validation = named(recording, f"{apps(stack)}-origin", VALIDATION)
    assert validation.urn in ingress(stack).dependencies
    certificate = named(recording, f"{apps(stack)}-origin", CERTIFICATE)
    assert controller_annotations(stack)[f"{A}certificate-arn"] == validation.inputs["certificateArn"] == certificate.id


@pytest.mark.parametrize("stack", STACKS)
def test_the_origin_certificate_is_dns_validated_in_the_public_zone(stack: str) -> None:
    recording, zone_name = plan(stack), config(stack).edge.dns.zone_name
    certificate = named(recording, f"{apps(stack)}-origin", CERTIFICATE)
    assert certificate.inputs["domainName"] == f"origin.{zone_name}"
    assert (certificate.inputs["validationMethod"], certificate.inputs["keyAlgorithm"]) == ("DNS", "RSA_2048")
    assert "subjectAlternativeNames" not in certificate.inputs
    assert certificate.id.startswith("arn:aws:acm:us-east-1:")  # the ALB's region
    record = named(recording, f"{apps(stack)}-origin-validation", RECORD)
    assert record.inputs["zoneId"] == public_zone(stack).id
    assert record.inputs["type"] == "CNAME"
    assert record.inputs["name"].endswith(f".origin.{zone_name}.")
    assert record.inputs["records"][0].endswith(".acm-validations.aws.")
    assert record.inputs["ttl"] == config(stack).edge.dns.record_ttl_seconds
    assert record.inputs["allowOverwrite"] is True
    assert certificate.urn in record.dependencies
    validation = named(recording, f"{apps(stack)}-origin", VALIDATION)
    assert validation.inputs["validationRecordFqdns"] == [record.inputs["name"].rstrip(".")]
    assert record.urn in validation.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_origin_is_an_alias_of_the_alb_the_controller_made(stack: str) -> None:
    recording, zone_name = plan(stack), config(stack).edge.dns.zone_name
    status = INGRESS_STATUS["alb"]("api-gateway", ingress(stack).inputs)
    hostname = status["loadBalancer"]["ingress"][0]["hostname"]
    assert hostname.startswith("k8s-bettafis-apigatew-")
    assert hostname.endswith(".us-east-1.elb.amazonaws.com")
    origin = named(recording, f"{apps(stack)}-origin", RECORD)
    assert origin.inputs == {
        "zoneId": public_zone(stack).id,
        "name": f"origin.{zone_name}",
        "type": "A",
        "aliases": [{"name": hostname, "zoneId": "Z35SXDOTRQ7X7K", "evaluateTargetHealth": True}],
    }
    assert recording.outputs["originHost"] == f"origin.{zone_name}"


def test_the_alias_uses_the_albs_hosted_zone_of_the_stacks_region() -> None:
    origin = named(plan_in("eu-west-1"), f"{apps('prod')}-origin", RECORD)
    (alias,) = origin.inputs["aliases"]
    assert alias["name"].endswith(".eu-west-1.elb.amazonaws.com")
    assert alias["zoneId"] == "Z32O12XQLNTSW2"


@pytest.mark.parametrize("stack", STACKS)
def test_the_data_services_have_internal_names_in_a_private_zone_of_the_vpc(stack: str) -> None:
    recording, cfg = plan(stack), config(stack)
    zone = named(recording, f"{apps(stack)}-internal", ZONE)
    assert zone.inputs["name"] == f"internal.{cfg.edge.dns.zone_name}"
    assert zone.inputs["vpcs"] == [{"vpcId": recording.outputs["networkId"], "vpcRegion": "us-east-1"}]
    assert zone.inputs["forceDestroy"] is (stack == "staging")
    assert recording.outputs["internalZone"] == zone.inputs["name"]
    ttls = {r.name.removesuffix(".internal"): r.ttl_seconds for r in cfg.edge.dns.records if r.target != "cdn"}
    targets = {"db": recording.outputs["databaseWriterEndpoint"], "redis": recording.outputs["cacheEndpoints"][0]}
    for name, target in targets.items():
        record = named(recording, f"{apps(stack)}-internal-{name}", RECORD)
        assert record.inputs == {
            "zoneId": zone.id,
            "name": f"{name}.internal.{cfg.edge.dns.zone_name}",
            "type": "CNAME",
            "ttl": ttls[name],
            "records": [target],
        }
    internal = [r for r in recording.of_type(RECORD) if r.inputs["zoneId"] == zone.id]
    assert len(internal) == 2
