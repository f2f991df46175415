"""GCP Operations: Cloud Monitoring notification channels, custom metric descriptors, alert
policies and a dashboard, and the Cloud Billing budget.

The logs are kept where their sources put them, each in a CMEK log bucket with its retention: the
cluster's control-plane, node and container logs (``monitoring.logRetention.applicationDays``,
``providers.gcp.kubernetes.logs``), the database's (``databaseDays``, ``providers.gcp.postgres``),
the load balancers' and the WAF's (``loadBalancerDays``, ``providers.gcp.edge``). User data reaches
the DR region through the buckets' own dual-region turbo replication (``providers.gcp.object_store``)
and the database's backups are stored there (``providers.gcp.postgres``)."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.base import sibling
from components.operations import Operations, OperationsArgs
from components.workloads import kubernetes_name
from providers.gcp.cache import GcpCacheCluster
from providers.gcp.edge import GcpCdn
from providers.gcp.kubernetes import GcpKubeCluster
from providers.gcp.operations.alarms import Alarms
from providers.gcp.operations.budget import billing_budget
from providers.gcp.operations.dashboard import dashboard
from providers.gcp.operations.metrics import metric_descriptors, metric_type, publish_grants
from providers.gcp.operations.signals import Targets
from providers.gcp.postgres import GcpPostgresCluster
from providers.gcp.project import BILLING_BUDGETS, MONITORING, enable_apis, require_project
from providers.gcp.workloads import GcpWorkloads

__all__ = ["GcpOperations"]


class GcpOperations(Operations):
    """Children: the Cloud Monitoring and Billing Budget APIs; an e-mail
    ``monitoring.NotificationChannel`` per ``monitoring.notificationEmails``; a
    ``monitoring.MetricDescriptor`` per ``monitoring.customMetrics`` and, per service, its identity's
    ``projects.IAMMember`` ``roles/monitoring.metricWriter`` to write them; the alert policies
    (``providers.gcp.operations.alarms``); the dashboard; the ``billing.Budget``.

    Outputs: ``notification_target`` the channels' resource names, comma-separated;
    ``alarm_names`` the policies' display names; ``dashboard`` the dashboard's resource name;
    ``budget_name`` the budget's display name. Extra attributes: ``channels``, ``descriptors``,
    ``metric_writers``, ``alarms``, ``board``, ``budget``.
    """

    def __init__(self, name: str, args: OperationsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx, monitoring = args.context, args.monitoring
        project, prefix = require_project(ctx), ctx.identity.prefix
        apis = enable_apis(self, name, project, MONITORING, BILLING_BUDGETS)
        after_monitoring = self.child(depends_on=[apis[MONITORING]])
        self.channels = [
            gcp.monitoring.NotificationChannel(
                f"{name}-email-{i}",
                project=project,
                type="email",
                display_name=f"{prefix} on-call: {address}",
                labels={"email_address": address},
                user_labels=ctx.tags("operations"),
                opts=after_monitoring,
            )
            for i, address in enumerate(monitoring.notification_emails)
        ]
        channel_ids = [c.name for c in self.channels]
        self.descriptors = metric_descriptors(self, name, project, monitoring.custom_metrics, opts=after_monitoring)
        cluster = sibling(args.cluster, GcpKubeCluster).cluster
        identities = sibling(args.workloads, GcpWorkloads).identities
        # A federated principal names the cluster's workload pool, which exists once the cluster does.
        self.metric_writers = publish_grants(
            self,
            name,
            project,
            {kubernetes_name(service): identity.member for service, identity in identities.items()},
            monitoring.custom_metrics,
            opts=self.child(depends_on=[cluster]),
        )
        cdn, database = sibling(args.cdn, GcpCdn), sibling(args.database, GcpPostgresCluster)
        targets = Targets(
            project=project,
            url_map=cdn.load_balancer.url_map.name,
            waf_policy=cdn.waf.name,
            cluster=cluster.name,
            primary_database=database.primary.name,
            replica_databases=[r.name for r in database.replicas],
            cache=sibling(args.cache, GcpCacheCluster).cluster.name,
        )
        self.alarms = Alarms(
            self,
            name,
            monitoring=monitoring,
            targets=targets,
            channels=channel_ids,
            prefix=prefix,
            depends_on=[apis[MONITORING]],
        )
        self.board = dashboard(
            self,
            f"{name}-dashboard",
            targets=targets,
            custom_metrics={metric.name: metric_type(metric) for metric in monitoring.custom_metrics},
            title=f"BettaFish {ctx.identity.stack}",
            depends_on=[apis[MONITORING], *self.descriptors.values()],
        )
        budget_config = args.budget
        if budget_config.gcp is None:
            raise ValueError("budget.gcp.billingAccount is needed on gcp (the config check says so)")
        number = gcp.organizations.get_project_output(
            project_id=project, opts=pulumi.InvokeOutputOptions(parent=self)
        ).number
        budget_display = f"{prefix} monthly"
        self.budget = billing_budget(
            self,
            f"{name}-budget",
            budget=budget_config,
            billing_account=budget_config.gcp.billing_account,
            project_number=number,
            channels=channel_ids,
            display_name=budget_display,
            depends_on=[apis[BILLING_BUDGETS]],
        )
        self._publish(
            notification_target=pulumi.Output.all(*channel_ids).apply(lambda ids: ",".join(ids)),
            alarm_names=pulumi.Output.from_input(sorted(self.alarms.policies)),
            dashboard=self.board.id,
            budget_name=self.budget.display_name.apply(lambda display: display or budget_display),
        )
