"""The fake cloud answers for GKE as GKE does: cluster ids, the issuer URL, node pool names made
from their prefix within GKE's 40 characters, a base64 PEM CA (the endpoint's address is checked
in ``test_kube_cluster``)."""

from __future__ import annotations

import base64

import pytest

from bettafish.plan.fake_cloud.gke import _ca_certificate
from tests.gcp.test_kube_cluster import CLUSTER, REGION, STACKS, plan, pools


@pytest.mark.parametrize("stack", STACKS)
def test_the_fake_cloud_answers_as_gke_does(stack: str) -> None:
    name = plan(stack).outputs["clusterName"]
    assert plan(stack).one(CLUSTER).id == f"projects/bettafish-{stack}/locations/{REGION}/clusters/{name}"
    assert plan(stack).outputs["oidcIssuerUrl"] == (
        f"https://container.googleapis.com/v1/projects/bettafish-{stack}/locations/{REGION}/clusters/{name}"
    )
    for pool in pools(stack).values():
        assert len(pool.id.rsplit("/", 1)[-1]) <= 40
        assert pool.id.rsplit("/", 1)[-1].startswith(pool.inputs["namePrefix"])


def test_the_fake_ca_is_a_base64_pem_certificate() -> None:
    pem = base64.b64decode(_ca_certificate("projects/p/locations/l/clusters/c")).decode()
    assert pem.startswith("-----BEGIN CERTIFICATE-----\n")
    assert pem.endswith("-----END CERTIFICATE-----\n")
