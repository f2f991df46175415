"""GCP implementations (pulumi-gcp)."""

from components import NeutralComponent, Vpc
from providers.gcp.vpc import GcpVpc

IMPLEMENTATIONS: dict[type[NeutralComponent], type[NeutralComponent]] = {Vpc: GcpVpc}
