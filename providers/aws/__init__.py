"""AWS implementations (pulumi-aws)."""

from components import NeutralComponent, Vpc
from providers.aws.vpc import AwsVpc

IMPLEMENTATIONS: dict[type[NeutralComponent], type[NeutralComponent]] = {Vpc: AwsVpc}
