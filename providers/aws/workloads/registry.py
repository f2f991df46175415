"""The stack's ECR repositories: one per image repository the services name, under the stack's
prefix (repository names are unique per account and region, and prod and staging may share both).

- Tags are ``IMMUTABLE``: a release tag always means the same image, so a Deployment's image never
  changes under it; pushing an existing tag again is refused (``ImageTagAlreadyExistsException``),
  a new build needs a new tag.
- Images are scanned on push (basic scanning; a registry-level scanning configuration, if the
  account has one, takes precedence).
- Encrypted with the stack's ``kubernetes`` key: images are what the cluster runs, and that key
  already encrypts its Secrets and node volumes, so disabling it stops the whole runtime at once;
  application data keeps the ``storage`` key. The encryption configuration is fixed at creation:
  changing the key replaces the repositories (and drops their images).
- A lifecycle policy deletes images without a tag ``registry.untaggedExpiryDays`` after their push.
- ``forceDelete`` only where stateful resources are not protected: ECR refuses to delete a
  repository that still holds images (``RepositoryNotEmptyException``).
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from bettafish.config.registry import Registry
from bettafish.config.services import Services
from components.base import NeutralComponent


def lifecycle_policy(registry: Registry) -> dict[str, object]:
    return {
        "rules": [
            {
                "rulePriority": 1,
                "description": f"Delete images without a tag {registry.untagged_expiry_days} days after their push",
                "selection": {
                    "tagStatus": "untagged",
                    "countType": "sinceImagePushed",
                    "countUnit": "days",
                    "countNumber": registry.untagged_expiry_days,
                },
                "action": {"type": "expire"},
            }
        ]
    }


def repositories(
    parent: NeutralComponent,
    name: str,
    prefix: str,
    services: Services,
    registry: Registry,
    key: aws.kms.Key,
    tags: dict[str, str],
) -> dict[str, aws.ecr.Repository]:
    """Image repository (``bettafish/api-gateway``) -> its ECR repository ``<prefix>/<repository>``."""
    wanted = sorted({service.image.repository for _, service in services.items()})
    out: dict[str, aws.ecr.Repository] = {}
    for repository in wanted:
        resource_name = f"{name}-{repository.replace('/', '-')}"
        out[repository] = aws.ecr.Repository(
            resource_name,
            name=f"{prefix}/{repository}",
            image_tag_mutability="IMMUTABLE",
            image_scanning_configuration=aws.ecr.RepositoryImageScanningConfigurationArgs(scan_on_push=True),
            encryption_configurations=[
                aws.ecr.RepositoryEncryptionConfigurationArgs(encryption_type="KMS", kms_key=key.arn)
            ],
            force_delete=not parent.context.protect_stateful,
            tags=tags,
            opts=parent.child(stateful=True),
        )
        aws.ecr.LifecyclePolicy(
            resource_name,
            repository=out[repository].name,
            policy=json.dumps(lifecycle_policy(registry)),
            opts=parent.child(),
        )
    return out


def registry_url(repositories: dict[str, aws.ecr.Repository]) -> pulumi.Output[str]:
    """``<account>.dkr.ecr.<region>.amazonaws.com/<prefix>``, read back from the repositories' URLs
    (so it resolves once they exist): an image is ``<registry url>/<repository>:<tag>``."""

    def common(urls: Sequence[str]) -> str:
        roots = {url.removesuffix(f"/{repository}") for url, repository in zip(urls, repositories, strict=True)}
        if len(roots) != 1:
            raise ValueError(f"the repositories do not share one registry path: {sorted(roots)}")
        return roots.pop()

    return pulumi.Output.all(*[r.repository_url for r in repositories.values()]).apply(common)


def node_pull_policy(key_arn: str, repository_arns: list[str], region: str) -> dict[str, object]:
    """Decrypt with the registry's key, for ECR's requests on these repositories only.

    ECR decrypts image layers through the grants it puts on the key when it creates a repository
    (ECR guide, "Encryption at rest"); the nodes' ``AmazonEC2ContainerRegistryPullOnly`` covers the
    ECR calls. This statement is the most a pull could need of the key itself, and cannot be used
    outside ECR nor on another repository's data (``kms:ViaService``, ``aws:ecr:arn`` context)."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DecryptImagesOfThisStack",
                "Effect": "Allow",
                "Action": ["kms:Decrypt"],
                "Resource": [key_arn],
                "Condition": {
                    "StringEquals": {
                        "kms:ViaService": f"ecr.{region}.amazonaws.com",
                        "kms:EncryptionContext:aws:ecr:arn": repository_arns,
                    }
                },
            }
        ],
    }


def node_pull_grant(
    parent: NeutralComponent,
    name: str,
    node_role: aws.iam.Role,
    key: aws.kms.Key,
    repositories: dict[str, aws.ecr.Repository],
    region: str,
) -> aws.iam.RolePolicy:
    arns = pulumi.Output.all(*[r.arn for r in repositories.values()])
    return aws.iam.RolePolicy(
        f"{name}-node-pull",
        role=node_role.id,
        policy=pulumi.Output.all(key.arn, arns).apply(
            lambda values: json.dumps(node_pull_policy(values[0], list(values[1]), region))
        ),
        opts=parent.child(),
    )
