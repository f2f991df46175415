"""The API gateway behind Application Gateway for Containers on Azure: AGC's subnet and NSG, the
Gateway on its frontend (80 and 443, HTTP redirected to HTTPS, TLS terminated with the origin's
certificate), the probe from the gateway's health check, the Let's Encrypt certificate cert-manager
obtains through DNS-01 with TXT-record rights only, the ALB Controller's own narrow identity, and the
origin's public record."""

from __future__ import annotations

from typing import Any

import pytest

from tests.azure.kube import RULE
from tests.azure.stacks import GRANT, READER, STACKS, SUBNET, computed, named
from tests.azure.workloads import (
    AGC_CONFIGURATION_MANAGER,
    FEDERATION,
    NETWORK_POLICY,
    RELEASE,
    ROLE_DEFINITION,
    apps,
    apps_of_type,
    client_id,
    config,
    grants_of,
    issuer,
    plan,
    role_of,
)
from tests.kubernetes_objects import kubernetes_objects, validate
from tests.mocks import physical_name


def host(stack: str) -> str:
    return f"origin.{config(stack).edge.dns.zone_name}"


def custom(stack: str, kind: str) -> list[dict[str, Any]]:
    return [r.inputs for r in apps_of_type(stack, kind)]


@pytest.mark.parametrize("stack", STACKS)
def test_agc_joins_its_own_delegated_24_behind_an_nsg_that_admits_front_door_on_443_only(stack: str) -> None:
    azure = config(stack).kubernetes.azure
    assert azure is not None
    subnet = apps(stack, "ingress")
    assert subnet.type == SUBNET
    assert subnet.inputs["addressPrefix"] == str(azure.ingress_subnet)
    assert subnet.inputs["delegations"] == [
        {"name": "agc", "serviceName": "Microsoft.ServiceNetworking/trafficControllers"}
    ]
    assert subnet.inputs["defaultOutboundAccess"] is False
    assert subnet.inputs["networkSecurityGroup"] == {"id": apps(stack, "ingress-nsg").id}
    rules = [
        r
        for r in plan(stack).of_type(RULE)
        if r.inputs["networkSecurityGroupName"] == physical_name(apps(stack, "ingress-nsg"))
    ]
    assert [
        (
            r.inputs["access"],
            r.inputs["direction"],
            r.inputs["protocol"],
            r.inputs["sourceAddressPrefix"],
            r.inputs["destinationPortRanges"],
        )
        for r in rules
    ] == [("Allow", "Inbound", "Tcp", "AzureFrontDoor.Backend", ["443"])]
    association = apps(stack, "agc-association")
    assert association.inputs["subnet"] == {"id": subnet.id}
    assert association.inputs["trafficControllerName"] == physical_name(apps(stack, "agc"))


@pytest.mark.parametrize("stack", STACKS)
def test_agc_reaches_the_gateways_pods_and_nothing_else_reaches_them(stack: str) -> None:
    k8s = config(stack).kubernetes
    assert k8s.azure is not None
    port = config(stack).services.api_gateway.port
    rule = apps(stack, "private-allow-ingress")
    assert rule.inputs["networkSecurityGroupName"] == physical_name(named(stack, "net", "private-nsg"))
    assert (rule.inputs["sourceAddressPrefix"], rule.inputs["destinationAddressPrefix"]) == (
        str(k8s.azure.ingress_subnet),
        str(k8s.pod_cidr),
    )
    assert (rule.inputs["protocol"], rule.inputs["destinationPortRange"], rule.inputs["priority"]) == (
        "Tcp",
        str(port),
        4070,
    )
    (policy,) = [p for p in apps_of_type(stack, NETWORK_POLICY) if p.inputs["metadata"]["name"] == "api-gateway"]
    assert policy.inputs["spec"]["ingress"] == [
        {"from": [{"ipBlock": {"cidr": str(k8s.azure.ingress_subnet)}}], "ports": [{"protocol": "TCP", "port": port}]}
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_the_gateway_serves_the_origin_host_on_80_and_443_with_its_certificate(stack: str) -> None:
    origin = host(stack)
    (gateway,) = custom(stack, "kubernetes:gateway.networking.k8s.io/v1:Gateway")
    assert gateway["metadata"]["annotations"] == {"alb.networking.azure.io/alb-id": apps(stack, "agc").id}
    spec = gateway["spec"]
    assert spec["gatewayClassName"] == "azure-alb-external"
    assert spec["addresses"] == [{"type": "alb.networking.azure.io/alb-frontend", "value": "origin"}]
    assert physical_name(apps(stack, "agc-frontend")) == "origin"
    listeners = {listener["name"]: listener for listener in spec["listeners"]}
    assert (listeners["http"]["port"], listeners["http"]["protocol"], listeners["http"]["hostname"]) == (
        80,
        "HTTP",
        origin,
    )
    assert "tls" not in listeners["http"]
    assert (listeners["https"]["port"], listeners["https"]["protocol"], listeners["https"]["hostname"]) == (
        443,
        "HTTPS",
        origin,
    )
    assert listeners["https"]["tls"] == {
        "mode": "Terminate",
        "certificateRefs": [{"group": "", "kind": "Secret", "name": "origin-tls"}],
    }


@pytest.mark.parametrize("stack", STACKS)
def test_https_from_this_front_door_only_reaches_the_api_gateway_and_http_only_redirects(stack: str) -> None:
    origin = host(stack)
    (profile,) = plan(stack).of_type("azure-native:cdn:Profile")
    routes = {
        r["metadata"]["name"]: r["spec"] for r in custom(stack, "kubernetes:gateway.networking.k8s.io/v1:HTTPRoute")
    }
    assert routes["origin-api"] == {
        "parentRefs": [{"name": "origin", "sectionName": "https"}],
        "hostnames": [origin],
        "rules": [
            {
                "matches": [
                    {
                        "path": {"type": "PathPrefix", "value": "/"},
                        "headers": [
                            {"type": "Exact", "name": "X-Azure-FDID", "value": computed(profile)["frontDoorId"]}
                        ],
                    }
                ],
                "backendRefs": [{"name": "api-gateway", "port": 80}],
            }
        ],
    }
    assert routes["origin-https-redirect"] == {
        "parentRefs": [{"name": "origin", "sectionName": "http"}],
        "hostnames": [origin],
        "rules": [
            {"filters": [{"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": 301}}]}
        ],
    }


@pytest.mark.parametrize("stack", STACKS)
def test_agc_probes_the_pods_with_the_gateways_health_check(stack: str) -> None:
    origin = host(stack)
    service = config(stack).services.api_gateway
    check = service.health_check
    (policy,) = custom(stack, "kubernetes:alb.networking.azure.io/v1:HealthCheckPolicy")
    assert policy["spec"] == {
        "targetRef": {"group": "", "kind": "Service", "name": "api-gateway", "namespace": "bettafish"},
        "default": {
            "interval": f"{check.interval_seconds}s",
            "timeout": f"{check.timeout_seconds}s",
            "healthyThreshold": check.healthy_threshold,
            "unhealthyThreshold": check.unhealthy_threshold,
            "port": service.port,
            "protocol": "HTTP",
            "http": {"host": origin, "path": check.path, "match": {"statusCodes": [{"start": 200, "end": 299}]}},
        },
    }


@pytest.mark.parametrize("stack", STACKS)
def test_lets_encrypt_issues_the_origin_certificate_through_dns_01_on_the_stacks_zone(stack: str) -> None:
    origin = host(stack)
    (certificate,) = custom(stack, "kubernetes:cert-manager.io/v1:Certificate")
    assert certificate["metadata"] == {"name": "origin", "namespace": "bettafish"}
    assert certificate["spec"] == {
        "secretName": "origin-tls",
        "dnsNames": [origin],
        "issuerRef": {"group": "cert-manager.io", "kind": "ClusterIssuer", "name": "letsencrypt"},
        "privateKey": {"algorithm": "RSA", "size": 2048, "rotationPolicy": "Always"},
    }
    (issuer_,) = custom(stack, "kubernetes:cert-manager.io/v1:ClusterIssuer")
    acme = issuer_["spec"]["acme"]
    assert acme["server"] == "https://acme-v02.api.letsencrypt.org/directory"
    (solver,) = acme["solvers"]
    zone = named(stack, "dns", "zone")
    assert solver["selector"] == {"dnsZones": [zone.inputs["zoneName"]]}
    assert solver["dns01"]["azureDNS"] == {
        "subscriptionID": zone.id.split("/")[2],
        "resourceGroupName": zone.inputs["resourceGroupName"],
        "hostedZoneName": zone.inputs["zoneName"],
        "environment": "AzurePublicCloud",
        "managedIdentity": {"clientID": client_id(apps(stack, "cert-manager-identity"))},
    }


@pytest.mark.parametrize("stack", STACKS)
def test_cert_manager_may_write_txt_records_of_the_zone_and_nothing_else(stack: str) -> None:
    zone = named(stack, "dns", "zone")
    (role,) = apps_of_type(stack, ROLE_DEFINITION)
    assert role.inputs["permissions"] == [
        {
            "actions": [
                "Microsoft.Network/dnszones/read",
                "Microsoft.Network/dnszones/TXT/read",
                "Microsoft.Network/dnszones/TXT/write",
                "Microsoft.Network/dnszones/TXT/delete",
            ],
            "notActions": [],
        }
    ]
    assert role.inputs["assignableScopes"] == [named(stack, "dns", "rg").id]
    identity = apps(stack, "cert-manager-identity")
    assert grants_of(identity, plan(stack)) == {(role.inputs["roleDefinitionId"], zone.id)}
    assert role.urn in apps(stack, "cert-manager-txt").options["dependsOn"]
    federation = apps(stack, "cert-manager-federation")
    assert federation.inputs["subject"] == "system:serviceaccount:cert-manager:cert-manager"
    release = apps(stack, "cert-manager")
    assert release.inputs["values"]["podLabels"] == {"azure.workload.identity/use": "true"}
    assert release.inputs["values"]["crds"] == {"enabled": True}


@pytest.mark.parametrize("stack", STACKS)
def test_the_alb_controller_configures_this_agc_and_reads_the_node_group_only(stack: str) -> None:
    identity = apps(stack, "alb-controller-identity")
    node_group = computed(named(stack, "k8s", "cluster"))["nodeResourceGroup"]
    assert grants_of(identity, plan(stack)) == {
        (AGC_CONFIGURATION_MANAGER, apps(stack, "agc").id),
        (READER, f"/subscriptions/{apps(stack, 'agc').id.split('/')[2]}/resourceGroups/{node_group}"),
    }
    federation = apps(stack, "alb-controller-federation")
    assert federation.type == FEDERATION
    assert (federation.inputs["issuer"], federation.inputs["subject"]) == (
        issuer(stack),
        "system:serviceaccount:azure-alb-system:alb-controller-sa",
    )
    release = apps(stack, "alb-controller")
    assert release.type == RELEASE
    assert (release.inputs["chart"], release.inputs["version"]) == (
        "oci://mcr.microsoft.com/application-lb/charts/alb-controller",
        "1.12.1",
    )
    assert release.inputs["values"] == {
        "albController": {"namespace": "azure-alb-system", "podIdentity": {"clientID": client_id(identity)}}
    }
    waited = set(release.options["dependsOn"])
    assert {federation.urn} | {
        g.urn for g in plan(stack).of_type(GRANT) if g.inputs["principalId"] == computed(identity)["principalId"]
    } <= waited
    assert all(role_of(g) != "8e3af657-a8ff-443c-a52d-6fe36d1bd9a0" for g in plan(stack).of_type(GRANT)), "no Owner"


@pytest.mark.parametrize("stack", STACKS)
def test_the_origin_host_is_a_cname_to_the_agc_frontend_in_the_public_zone(stack: str) -> None:
    origin = host(stack)
    record = apps(stack, "origin")
    zone = named(stack, "dns", "zone")
    assert record.inputs == {
        "resourceGroupName": zone.inputs["resourceGroupName"],
        "zoneName": zone.inputs["zoneName"],
        "relativeRecordSetName": "origin",
        "recordType": "CNAME",
        "ttl": config(stack).edge.dns.record_ttl_seconds,
        "cnameRecord": {"cname": computed(apps(stack, "agc-frontend"))["fqdn"]},
    }
    assert plan(stack).outputs["originHost"] == origin


@pytest.mark.parametrize("stack", STACKS)
def test_every_kubernetes_object_of_the_workloads_is_valid_strictly_custom_resources_included(stack: str) -> None:
    version = config(stack).kubernetes.version
    objects = [r for r in kubernetes_objects(plan(stack)) if r.name.startswith(f"bettafish-{stack}-apps-")]
    kinds = {r.type.rsplit(":", 1)[-1] for r in objects}
    assert {"Gateway", "HTTPRoute", "HealthCheckPolicy", "Certificate", "ClusterIssuer"} <= kinds
    for resource in objects:
        validate(resource, version)
