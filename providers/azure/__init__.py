"""Azure implementations (pulumi-azure-native)."""

from components import NeutralComponent, Vpc
from providers.azure.vpc import AzureVpc

IMPLEMENTATIONS: dict[type[NeutralComponent], type[NeutralComponent]] = {Vpc: AzureVpc}
