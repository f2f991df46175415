"""Tiny programs with the resources no stack registers yet (the CDN and WAF of issue 9, the budgets
of issue 10, the services of issue 8), each deliberately breaking the rules that guard them."""

from __future__ import annotations

import pulumi_aws as aws
import pulumi_kubernetes as k8s

from bettafish.policy.model import Stack
from tests.policy.fixtures import program


def open_cloudfront() -> Stack:
    """A distribution on the default certificate (TLS 1.0), plain HTTP allowed, HTTP to its origin, no WAF."""

    def build() -> None:
        aws.cloudfront.Distribution(
            "cdn",
            enabled=True,
            origins=[
                {
                    "domain_name": "origin.example.com",
                    "origin_id": "origin",
                    "custom_origin_config": {
                        "http_port": 80,
                        "https_port": 443,
                        "origin_protocol_policy": "http-only",
                        "origin_ssl_protocols": ["TLSv1", "TLSv1.2"],
                    },
                }
            ],
            default_cache_behavior={
                "target_origin_id": "origin",
                "viewer_protocol_policy": "allow-all",
                "allowed_methods": ["GET", "HEAD"],
                "cached_methods": ["GET", "HEAD"],
                "cache_policy_id": "658327ea-f89d-4fab-a63d-7e88639e58f6",
            },
            restrictions={"geo_restriction": {"restriction_type": "none"}},
            viewer_certificate={"cloudfront_default_certificate": True},
        )

    return program(build)


def silent_budget() -> Stack:
    """A budget that tells no one when it is passed."""

    def build() -> None:
        aws.budgets.Budget("budget", budget_type="COST", limit_amount="2000", limit_unit="USD", time_unit="MONTHLY")

    return program(build)


def careless_workload() -> Stack:
    """A namespace without Pod Security or a default-deny policy, a policy that admits everyone, and a
    Deployment running as root from ``latest`` with no limits under the default ServiceAccount."""

    def build() -> None:
        k8s.core.v1.Namespace("apps", metadata={"name": "apps"})
        k8s.networking.v1.NetworkPolicy(
            "open",
            metadata={"name": "open", "namespace": "apps"},
            spec={"podSelector": {}, "policyTypes": ["Ingress"], "ingress": [{}]},
        )
        k8s.apps.v1.Deployment(
            "web",
            metadata={"name": "web", "namespace": "apps"},
            spec={
                "selector": {"matchLabels": {"app": "web"}},
                "template": {
                    "metadata": {"labels": {"app": "web"}},
                    "spec": {
                        "containers": [
                            {"name": "web", "image": "nginx:latest", "resources": {"requests": {"cpu": "100m"}}}
                        ]
                    },
                },
            },
        )

    return program(build)
