"""Azure Cdn: Front Door Premium with its WAF in front of the API. The parts:

- ``front_door``: the profile, endpoint, origin group with its health probe, the origin
  (``origin.<zone>`` on Application Gateway for Containers), the static-content rule set, the routes;
- ``domains``: the custom domains with their managed certificates, ``_dnsauth`` validation records
  and CNAMEs in the stack's Azure DNS zone;
- ``waf``: the WAF policy (Default Rule Set 2.1, Bot Manager, geo restriction, rate limit) and the
  security policy attaching it to every domain;
- ``logs``: access, WAF and health-probe logs kept ``loadBalancerDays`` in Log Analytics.

Only Front Door reaches the origin: AGC's frontend cannot be a Private Link origin, so its NSG admits
the ``AzureFrontDoor.Backend`` service tag only and the API's HTTPRoute requires this profile's
``X-Azure-FDID`` header (``AzureWorkloads.route_api_from``): the service tag alone would admit any
customer's Front Door. Nobody reaches the API around the WAF.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import resources

from components.base import sibling
from components.cdn import Cdn, CdnArgs
from providers.azure.dns import AzureDns
from providers.azure.edge.domains import api_url, custom_domains
from providers.azure.edge.front_door import front_door, routes
from providers.azure.edge.logs import edge_logs
from providers.azure.edge.waf import attach, waf_policy
from providers.azure.workloads import AzureWorkloads


class AzureCdn(Cdn):
    """Children: ResourceGroup; the Front Door ``Profile`` (Premium), ``AFDEndpoint``,
    ``AFDOriginGroup``, ``AFDOrigin``, ``RuleSet`` and ``Rule``, two ``Route``s; one ``AFDCustomDomain``
    per served name with its TXT and CNAME ``RecordSet``s; the WAF ``Policy`` and its
    ``SecurityPolicy``; a Log Analytics ``Workspace`` and the profile's ``DiagnosticSetting``. Adds the
    API's HTTPRoute to the workloads.

    Extra attributes: ``resource_group``, ``profile``, ``waf``, ``workspace``.
    """

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx, edge = args.context, args.edge
        zone = sibling(args.dns, AzureDns)
        workloads = sibling(args.workloads, AzureWorkloads)
        tags, location = ctx.tags("edge"), ctx.provider.region
        self.resource_group = rg = resources.ResourceGroup(
            f"{name}-rg", location=location, tags=tags, opts=self.child()
        )
        door = front_door(
            self,
            name,
            rg,
            tags,
            config=edge.cdn,
            origin_host=args.workloads.origin_host,
            health_check=args.health_check,
        )
        self.profile = door.profile
        domains = custom_domains(self, name, rg, door.profile, door.endpoint, zone, edge)
        routes(self, name, rg, door, edge.cdn, [d.domain for d in domains])
        self.waf = waf_policy(self, name, rg, tags, edge)
        attach(self, name, rg, door.profile, self.waf, [door.endpoint.id, *(d.domain.id for d in domains)])
        self.workspace, _ = edge_logs(self, name, rg, location, tags, door.profile, args.log_retention_days)
        workloads.route_api_from(door.profile.front_door_id)
        self._publish(
            endpoint=door.endpoint.host_name,
            distribution_id=door.profile.id,
            waf_policy_id=self.waf.id,
            api_url=api_url(domains),
        )
