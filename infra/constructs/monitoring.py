"""Monitoring: alarms to an encrypted SNS topic, and one dashboard per stack (a region, or the national index).

Alarms: any message in a dead-letter queue; any 5xx of either API; every stream consumer falling
behind (iterator age); the custom failure metrics the functions publish (work handed to the operator,
e-mails that bounced); and a heartbeat per scheduled job: a job that has not completed in 26 hours
alarms, and because missing data counts as breaching, so does a job that never ran at all. Function
errors and throttles are alarms without actions of their own, rolled up into one composite alarm, so
one bad deploy sends one message rather than one per function. Every alarm with an action also sends
the all-clear (OK). The operations address (config) is subscribed to the topic; confirm the
subscription e-mail after the first deploy. The national stack has no API and no stream, so it
passes neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

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
HEARTBEAT_PERIOD = Duration.hours(26)  # a nightly job, with two hours of slack
CUSTOM_NAMESPACE = "Verwijsindex"
CUSTOM_DIMENSIONS = {"service": "verwijsindex"}  # what Powertools Metrics adds (observability.py)


def custom_metric(name: str, *, statistic: str, period: Duration = PERIOD) -> cloudwatch.Metric:
    return cloudwatch.Metric(
        namespace=CUSTOM_NAMESPACE,
        metric_name=name,
        dimensions_map=CUSTOM_DIMENSIONS,
        statistic=statistic,
        period=period,
    )


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
        stream_consumers: Sequence[ServiceFunction] = (),
        heartbeats: Sequence[str] = (),
        failure_metrics: Mapping[str, str] = MappingProxyType({}),
        metric_alarms: Sequence[tuple[str, cloudwatch.IMetric, str]] = (),
    ) -> None:
        """``name``: the region code, or ``national``; it names the topic and the dashboard.
        ``heartbeats``: custom metrics a scheduled job publishes once per completed run;
        ``failure_metrics``: custom metric -> what it means, alarmed on any non-zero value."""
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
        function_alarms: list[cloudwatch.IAlarm] = []
        self.functions_alarm: cloudwatch.CompositeAlarm | None = None
        for fn in functions:
            function_alarms.append(
                self._alarm(
                    f"{fn.node.id}Errors",
                    fn.function.metric_errors(period=PERIOD, statistic="Sum"),
                    description=f"{fn.service}: invocations ended in an error",
                    notify=False,
                )
            )
            function_alarms.append(
                self._alarm(
                    f"{fn.node.id}Throttles",
                    fn.function.metric_throttles(period=PERIOD, statistic="Sum"),
                    description=f"{fn.service}: invocations were throttled",
                    notify=False,
                )
            )
        if function_alarms:
            self.functions_alarm = cloudwatch.CompositeAlarm(
                self,
                "FunctionsFailing",
                alarm_rule=cloudwatch.AlarmRule.any_of(*function_alarms),
                alarm_description=f"Verwijsindex {code}: a function ends in errors or is throttled (see the dashboard)",
            )
            self.functions_alarm.add_alarm_action(actions.SnsAction(self.topic))
            self.functions_alarm.add_ok_action(actions.SnsAction(self.topic))
        for job in heartbeats:
            self._alarm(
                f"{job}Missing",
                custom_metric(job, statistic="Sum", period=HEARTBEAT_PERIOD),
                threshold=1,
                comparison=cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
                missing=cloudwatch.TreatMissingData.BREACHING,
                description=f"{job}: no completed run in the last 26 hours",
            )
        for metric_name, meaning in failure_metrics.items():
            self._alarm(f"{metric_name}Alarm", custom_metric(metric_name, statistic="Maximum"), description=meaning)
        for alarm_name, metric, description in metric_alarms:  # application metrics: any count alarms
            self._alarm(alarm_name, metric, description=description)
        for api in apis:
            self._alarm(
                f"{api.node.id}ServerErrors",
                api.metric_server_error(period=PERIOD, statistic="Sum"),
                description=f"{api.rest_api_name}: 5xx responses",
            )
        iterator_age: list[cloudwatch.IMetric] = []
        for consumer in stream_consumers:
            age = consumer.function.metric("IteratorAge", period=PERIOD, statistic="Maximum")
            iterator_age.append(age)
            self._alarm(
                f"{consumer.node.id}IteratorAge",
                age,
                threshold=MAX_ITERATOR_AGE.to_milliseconds(),
                description=f"{consumer.service}: the stream is not processed within 5 minutes",
            )

        dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"verwijsindex-{code}")
        dashboard.add_widgets(
            cloudwatch.AlarmStatusWidget(
                title="Alarms",
                alarms=[*self.alarms, *([self.functions_alarm] if self.functions_alarm else [])],
                width=24,
                height=4,
            ),
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

    def alarm_on(self, construct_id: str, metric: cloudwatch.IMetric, *, threshold: float, description: str) -> None:
        """One more alarm (with actions) on a metric another construct owns."""
        self._alarm(construct_id, metric, threshold=threshold, description=description)

    def _alarm(
        self,
        construct_id: str,
        metric: cloudwatch.IMetric,
        *,
        description: str,
        threshold: float = 0,
        comparison: cloudwatch.ComparisonOperator = cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
        missing: cloudwatch.TreatMissingData = cloudwatch.TreatMissingData.NOT_BREACHING,
        notify: bool = True,
    ) -> cloudwatch.Alarm:
        alarm = cloudwatch.Alarm(
            self,
            construct_id,
            metric=metric,
            threshold=threshold,
            comparison_operator=comparison,
            evaluation_periods=1,
            treat_missing_data=missing,
            alarm_description=description,
        )
        if notify:
            alarm.add_alarm_action(actions.SnsAction(self.topic))
            alarm.add_ok_action(actions.SnsAction(self.topic))
        self.alarms.append(alarm)
        return alarm
