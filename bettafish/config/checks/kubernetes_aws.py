"""Kubernetes settings only EKS constrains (the shared ones are in ``checks.kubernetes``).

Pods get their addresses from a secondary VPC range (VPC CNI custom networking): ``podCidr`` is
associated with the VPC, so it must be a range AWS lets a VPC of ``network.cidr`` add, and it is
carved into one pod subnet per zone (``pod_subnet_cidrs``)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from ipaddress import IPv4Network

from bettafish.config.catalog import SizeNotInCatalogError, resolve
from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.checks.kubernetes import POD_RANGE_PER_NODE
from bettafish.config.eks_addons import eks_addons
from bettafish.config.kubernetes import fits
from bettafish.config.network import CLOUDWATCH_RETENTION_DAYS
from bettafish.config.stack import StackConfig

RFC1918 = tuple(IPv4Network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))
SHARED_ADDRESS_SPACE = IPv4Network("100.64.0.0/10")
BENCHMARK_RANGE = IPv4Network("198.19.0.0/16")
VPC_CIDR_DOCS = "https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html"
SERVICE_RANGE_SMALLEST_PREFIX = 12
"""EKS takes service ranges from /24 down to /12."""
PUBLIC_ACCESS_CIDRS_LIMIT = 40
"""EKS quota: CIDR blocks on the public API endpoint per cluster."""
_GRAVITON = re.compile(r"^[a-z]+\d+[a-z]*g[a-z]*\.")
"""Arm (Graviton) instance families carry a ``g`` after their generation: m6g, c7gn, t4g, r8g."""


def is_arm(instance_type: str) -> bool:
    return bool(_GRAVITON.match(instance_type))


def check_aws_kubernetes(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "aws":
        return
    yield from _control_plane(cfg)
    yield from _endpoint(cfg)
    yield from _addressing(cfg)
    yield from _features(cfg)


def _control_plane(cfg: StackConfig) -> Iterator[Issue]:
    k8s = cfg.kubernetes
    if k8s.version not in eks_addons().versions:
        yield Issue(
            _key("kubernetes.version"),
            f"aws EKS add-on versions are pinned for {', '.join(sorted(eks_addons().versions))}"
            " (bettafish/data/eks-addons.yaml); add a row for this version first",
        )
    if not k8s.control_plane.private_endpoint:
        yield Issue(
            _key("kubernetes.controlPlane.privateEndpoint"),
            "aws EKS nodes reach the API through the private endpoint (security rule 20); keep it and add"
            " authorizedCidrs for a limited public endpoint",
        )
    if not k8s.control_plane.zone_redundant:
        yield Issue(_key("kubernetes.controlPlane.zoneRedundant"), "aws EKS control planes always span zones; set true")
    if len(cfg.network.zones.of("aws")) < 2:
        yield Issue(_key("network.zones.aws"), "aws EKS needs subnets in at least two zones")
    days = cfg.monitoring.log_retention.application_days
    if days not in CLOUDWATCH_RETENTION_DAYS:
        yield Issue(
            _key("monitoring.logRetention.applicationDays"),
            f"aws CloudWatch Logs (control-plane logs) accepts {sorted(CLOUDWATCH_RETENTION_DAYS)}",
        )


def _endpoint(cfg: StackConfig) -> Iterator[Issue]:
    cidrs = cfg.kubernetes.control_plane.authorized_cidrs
    path = _key("kubernetes.controlPlane.authorizedCidrs")
    if len(cidrs) > PUBLIC_ACCESS_CIDRS_LIMIT:
        yield Issue(path, f"aws EKS takes at most {PUBLIC_ACCESS_CIDRS_LIMIT} CIDR blocks on the public endpoint")
    for i, cidr in enumerate(cidrs):
        if not cidr.is_global:
            yield Issue(
                f"{path}[{i}]",
                f"aws EKS refuses {cidr} on the public endpoint: only public addresses (reach private ones"
                " through the private endpoint)",
            )


def _addressing(cfg: StackConfig) -> Iterator[Issue]:
    k8s, net = cfg.kubernetes, cfg.network
    refusal = secondary_cidr_refusal(net.cidr, k8s.pod_cidr)
    if refusal:
        yield Issue(
            _key("kubernetes.podCidr"), f"aws cannot add it to a VPC of {net.cidr}: {refusal} (see {VPC_CIDR_DOCS})"
        )
    else:
        zone_subnet = pod_subnet_cidrs(k8s.pod_cidr, len(net.zones.of("aws")))[0]
        if not fits(zone_subnet, k8s.total_max(), POD_RANGE_PER_NODE["aws"]):
            yield Issue(
                _key("kubernetes.podCidr"),
                f"aws pods come from one /{zone_subnet.prefixlen} subnet per zone, and one zone may hold all"
                f" {k8s.total_max()} nodes at a /{POD_RANGE_PER_NODE['aws']} each",
            )
    service = k8s.service_cidr
    if not any(service.subnet_of(block) for block in RFC1918) or service.prefixlen < SERVICE_RANGE_SMALLEST_PREFIX:
        yield Issue(
            _key("kubernetes.serviceCidr"),
            "aws EKS takes a service range of /24 to /12 inside 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16",
        )


def _features(cfg: StackConfig) -> Iterator[Issue]:
    k8s = cfg.kubernetes
    for name, pool in k8s.node_pools.items():
        try:
            chosen = resolve("compute", "aws", pool.size).type
        except SizeNotInCatalogError:
            continue  # reported by check_catalog
        if is_arm(chosen):
            yield Issue(
                _key(f"kubernetes.nodePools.{name}.size"),
                f"aws nodes run the x86_64 Amazon Linux 2023 EKS AMI; {chosen} is an Arm (Graviton) type",
            )
    if "blockStorageCsi" not in k8s.addons:
        yield Issue(
            _key("kubernetes.addons"),
            "aws EKS has no built-in volume provisioner: the default encrypted StorageClass needs blockStorageCsi",
        )
    names = [arn.rsplit("/", 1)[-1] for arn in k8s.admins.aws]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        yield Issue(
            _key("kubernetes.admins.aws"),
            f"aws EKS takes one access entry per principal, and their names must differ: repeated {repeated}",
        )
    if k8s.spot.enabled and not k8s.spot.fallback_to_on_demand:
        yield Issue(
            _key("kubernetes.spot.fallbackToOnDemand"),
            "aws: the cluster autoscaler grows an on-demand group once a spot group cannot grow; set true, and"
            " give workloads that must never leave spot a bettafish.io/capacity=spot node affinity",
        )


def secondary_cidr_refusal(primary: IPv4Network, secondary: IPv4Network) -> str | None:
    """Why AWS refuses to associate ``secondary`` with a VPC whose primary range is ``primary``, or None.

    The VPC user guide's table of IPv4 CIDR block association restrictions: a VPC keeps to one
    RFC 1918 block, never adds 198.19.0.0/16 (nor 172.31.0.0/16 to a 172.16.0.0/12 VPC, nor
    10.0.0.0/16 to a VPC inside 10.0.0.0/15), and any VPC may add 100.64.0.0/10 or public ranges.
    """
    if not 16 <= secondary.prefixlen <= 28:
        return f"a VPC range is /16 to /28, not /{secondary.prefixlen}"
    if secondary.overlaps(primary):
        return f"it overlaps the primary range {primary}"
    if secondary.overlaps(BENCHMARK_RANGE):
        return f"{BENCHMARK_RANGE} is reserved"
    home = next((block for block in RFC1918 if primary.subnet_of(block)), None)
    other = [block for block in RFC1918 if block != home and secondary.overlaps(block)]
    if other:
        return f"a VPC in {home or 'a public or 100.64.0.0/10 range'} cannot add another RFC 1918 block ({other[0]})"
    if home == RFC1918[1] and secondary.overlaps(IPv4Network("172.31.0.0/16")):
        return "a VPC in 172.16.0.0/12 cannot add 172.31.0.0/16"
    if primary.subnet_of(IPv4Network("10.0.0.0/15")) and secondary.overlaps(IPv4Network("10.0.0.0/16")):
        return "a VPC inside 10.0.0.0/15 cannot add 10.0.0.0/16"
    return None


def pod_subnet_cidrs(pod_cidr: IPv4Network, zones: int) -> list[IPv4Network]:
    """``pod_cidr`` split into equal subnets, one per zone in zone order (the rest stays unused):
    three zones take quarters, so a /16 gives each zone a /18."""
    bits = math.ceil(math.log2(zones)) if zones > 1 else 0
    return list(pod_cidr.subnets(prefixlen_diff=bits))[:zones]
