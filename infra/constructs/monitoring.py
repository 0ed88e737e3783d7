"""Monitoring: alarms to an encrypted SNS topic, and one dashboard per stack (a region, or the national index).

Alarms: any message in a dead-letter queue; any function error or throttle; any 5xx of either API;
the match function falling behind on the stream. The operations address (config) is subscribed to
the topic; confirm the subscription e-mail after the first deploy. The national stack has no API and
no stream, so it passes neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_cloudwatch_actions as actions
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from infra.constructs.function import ServiceFunction

PERIOD = Duration.minutes(5)
MAX_ITERATOR_AGE = Duration.minutes(5)


class Monitoring(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        name: str,
        operations_email: str | None,
        key: kms.IKey,
        functions: Sequence[ServiceFunction],
        queues: Mapping[str, sqs.IQueue],
        apis: Sequence[apigw.RestApi] = (),
        stream_consumer: ServiceFunction | None = None,
        metric_alarms: Sequence[tuple[str, cloudwatch.IMetric, str]] = (),
    ) -> None:
        """``name``: the region code, or ``national``; it names the topic and the dashboard."""
        super().__init__(scope, construct_id)
        code = name

        self.topic = sns.Topic(
            self,
            "AlarmTopic",
            display_name=f"Verwijsindex {code}: alarms",
            master_key=key,
            enforce_ssl=True,
        )
        if operations_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(operations_email))
        self.alarms: list[cloudwatch.Alarm] = []

        for queue_name, queue in queues.items():
            self._alarm(
                f"{queue_name}NotEmpty",
                queue.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum"),
                description=f"{queue_name}: something failed for good and waits in the dead-letter queue",
            )
        for fn in functions:
            self._alarm(
                f"{fn.node.id}Errors",
                fn.function.metric_errors(period=PERIOD, statistic="Sum"),
                description=f"{fn.service}: invocations ended in an error",
            )
            self._alarm(
                f"{fn.node.id}Throttles",
                fn.function.metric_throttles(period=PERIOD, statistic="Sum"),
                description=f"{fn.service}: invocations were throttled",
            )
        for alarm_name, metric, description in metric_alarms:  # application metrics: any count alarms
            self._alarm(alarm_name, metric, description=description)
        for api in apis:
            self._alarm(
                f"{api.node.id}ServerErrors",
                api.metric_server_error(period=PERIOD, statistic="Sum"),
                description=f"{api.rest_api_name}: 5xx responses",
            )
        iterator_age: list[cloudwatch.IMetric] = []
        if stream_consumer is not None:
            iterator_age.append(stream_consumer.function.metric("IteratorAge", period=PERIOD, statistic="Maximum"))
            self._alarm(
                "MatchIteratorAge",
                iterator_age[0],
                threshold=MAX_ITERATOR_AGE.to_milliseconds(),
                description="match: the stream is not processed within 5 minutes",
            )

        dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"verwijsindex-{code}")
        dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(title="Alarms", alarms=list(self.alarms), width=24, height=4),
        )
        if apis:
            self._api_widgets(dashboard, apis)
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="Function errors",
                left=[fn.function.metric_errors(period=PERIOD, statistic="Sum") for fn in functions],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="Function duration (p95)",
                left=[fn.function.metric_duration(period=PERIOD, statistic="p95") for fn in functions],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="Dead-letter queues and stream age" if iterator_age else "Dead-letter queues",
                left=[
                    queue.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum")
                    for queue in queues.values()
                ],
                right=iterator_age,
                width=8,
            ),
        )

    @staticmethod
    def _api_widgets(dashboard: cloudwatch.Dashboard, apis: Sequence[apigw.RestApi]) -> None:
        dashboard.add_widgets(
            cloudwatch.GraphWidget(
                title="API requests",
                left=[api.metric_count(period=PERIOD, statistic="Sum") for api in apis],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="API errors (4xx, 5xx)",
                left=[api.metric_client_error(period=PERIOD, statistic="Sum") for api in apis]
                + [api.metric_server_error(period=PERIOD, statistic="Sum") for api in apis],
                width=8,
            ),
            cloudwatch.GraphWidget(
                title="API latency (p95)",
                left=[api.metric_latency(period=PERIOD, statistic="p95") for api in apis],
                width=8,
            ),
        )

    def _alarm(self, construct_id: str, metric: cloudwatch.IMetric, *, description: str, threshold: float = 0) -> None:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            evaluation_periods=1,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description=description,
        )
        alarm.add_alarm_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
