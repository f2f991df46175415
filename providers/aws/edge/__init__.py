"""AWS Cdn: CloudFront in front of the API gateway's ALB, its WAFv2 web ACL and its ACM certificate
(both in us-east-1, where CloudFront takes them from, whatever the stack's region), and the API's
names in the public Route 53 zone."""

from __future__ import annotations

import pulumi

from components.base import sibling
from components.cdn import Cdn, CdnArgs
from providers.aws.certificates import validated_certificate
from providers.aws.dns import AwsDns
from providers.aws.edge.access_logs import access_logs
from providers.aws.edge.distribution import distribution
from providers.aws.edge.records import cdn_records, served_names
from providers.aws.edge.waf import web_acl
from providers.aws.keys import EDGE_REGION, AwsKeys

__all__ = ["AwsCdn"]


class AwsCdn(Cdn):
    """Children: the ``wafv2.WebAcl`` (CLOUDFRONT scope), its ``cloudwatch.LogGroup``
    (``aws-waf-logs-…``, kept ``monitoring.logRetention.loadBalancerDays``, encrypted with the logs
    key) and ``wafv2.WebAclLoggingConfiguration``, all in us-east-1; the viewer ``acm.Certificate``
    for ``api.<zone>`` and ``edge.tls.subjectAlternativeNames`` in us-east-1 with its validation
    records and ``acm.CertificateValidation``; two ``cloudfront.CachePolicy`` (API, ``/static/*``);
    the ``cloudfront.Distribution`` and its access logs (``access_logs``: a log group in us-east-1
    kept for the load-balancer retention, and CloudWatch Logs' delivery source, destination and
    delivery); the ``route53.Record``s of the names it serves.

    Nothing here is stateful: a replaced distribution gets a new ``*.cloudfront.net`` name, which
    the alias records follow on the same ``up``.

    Extra attributes for sibling AWS components: ``distribution``, ``web_acl``, ``access_logs``.
    """

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        edge, ctx = args.edge, args.context
        tags = ctx.tags("edge")
        zone = sibling(args.dns, AwsDns).zone
        logs_key = sibling(args.keys, AwsKeys).edge_logs_key
        names = served_names(edge.dns)

        self.web_acl = web_acl(self, name, edge.waf, args.log_retention_days, logs_key, tags)
        certificate = validated_certificate(
            self,
            f"{name}-viewer",
            [*names, *edge.tls.subject_alternative_names],
            zone,
            edge.dns.record_ttl_seconds,
            tags,
            region=EDGE_REGION,
        )
        self.distribution = distribution(
            self,
            name,
            cdn=edge.cdn,
            tls=edge.tls,
            origin_host=args.workloads.origin_host,
            aliases=list(names),
            certificate_arn=certificate.certificate_arn,
            web_acl_arn=self.web_acl.arn,
            tags=tags,
        )
        self.access_logs = access_logs(self, name, self.distribution, args.log_retention_days, logs_key, tags)
        api_record = cdn_records(self, name, edge.dns, zone, self.distribution)[0]
        self._publish(
            endpoint=self.distribution.domain_name,
            distribution_id=self.distribution.id,
            waf_policy_id=self.web_acl.arn,
            api_url=pulumi.Output.concat("https://", api_record.fqdn),
        )
