"""The WAF in front of the regional APIs: a rate limit per IP and AWS's managed protections, with
a log of what it blocks or counts (credentials redacted).

A function that adds its resources to the scope it is given, not a construct of its own: the web
ACL keeps the logical ids it was first deployed with (its name and its log group's are fixed, so a
new id would mean a replacement that clashes with the old one).
"""

from __future__ import annotations

from collections.abc import Sequence

from aws_cdk import ArnFormat, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.config import RegionConfig


def add_web_acl(
    scope: Construct,
    config: RegionConfig,
    apis: Sequence[apigw.RestApi],
    *,
    logs_key: kms.IKey,
    log_retention: logs.RetentionDays,
) -> wafv2.CfnWebACL:
    """The web ACL, associated with every API's stage, and its log of blocked and counted requests."""

    def visibility(metric: str) -> wafv2.CfnWebACL.VisibilityConfigProperty:
        return wafv2.CfnWebACL.VisibilityConfigProperty(
            cloud_watch_metrics_enabled=True, metric_name=metric, sampled_requests_enabled=False
        )

    def managed(name: str, priority: int) -> wafv2.CfnWebACL.RuleProperty:
        return wafv2.CfnWebACL.RuleProperty(
            name=name,
            priority=priority,
            override_action=wafv2.CfnWebACL.OverrideActionProperty(none={}),
            statement=wafv2.CfnWebACL.StatementProperty(
                managed_rule_group_statement=wafv2.CfnWebACL.ManagedRuleGroupStatementProperty(
                    vendor_name="AWS", name=name
                )
            ),
            visibility_config=visibility(name),
        )

    code = config.region_code
    acl = wafv2.CfnWebACL(
        scope,
        "WebAcl",
        name=f"verwijsindex-{code}",
        description=f"Verwijsindex {code}: rate limit per IP and AWS managed protections",
        scope="REGIONAL",
        default_action=wafv2.CfnWebACL.DefaultActionProperty(allow={}),
        visibility_config=visibility(f"verwijsindex-{code}"),
        rules=[
            wafv2.CfnWebACL.RuleProperty(
                name="RateLimitPerIp",
                priority=0,
                action=wafv2.CfnWebACL.RuleActionProperty(block={}),
                statement=wafv2.CfnWebACL.StatementProperty(
                    rate_based_statement=wafv2.CfnWebACL.RateBasedStatementProperty(
                        limit=config.waf_rate_limit_per_ip,
                        aggregate_key_type="IP",
                        evaluation_window_sec=300,
                    )
                ),
                visibility_config=visibility("RateLimitPerIp"),
            ),
            managed("AWSManagedRulesAmazonIpReputationList", 1),
            managed("AWSManagedRulesCommonRuleSet", 2),
            managed("AWSManagedRulesKnownBadInputsRuleSet", 3),
        ],
    )
    for api in apis:
        wafv2.CfnWebACLAssociation(
            scope,
            f"WebAclAssociation{api.node.id}",
            resource_arn=api.deployment_stage.stage_arn,
            web_acl_arn=acl.attr_arn,
        )

    # Blocked and counted requests only; the credentials are redacted.
    waf_logs = logs.LogGroup(
        scope,
        "WafLogs",
        log_group_name=f"aws-waf-logs-verwijsindex-{code}",
        retention=log_retention,
        encryption_key=logs_key,
        removal_policy=RemovalPolicy.RETAIN,
    )
    wafv2.CfnLoggingConfiguration(
        scope,
        "WafLogging",
        resource_arn=acl.attr_arn,
        log_destination_configs=[
            Stack.of(scope).format_arn(
                service="logs",
                resource="log-group",
                resource_name=waf_logs.log_group_name,
                arn_format=ArnFormat.COLON_RESOURCE_NAME,
            )
        ],
        redacted_fields=[
            wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": "authorization"}),
            wafv2.CfnLoggingConfiguration.FieldToMatchProperty(single_header={"Name": "x-api-key"}),
        ],
        logging_filter={
            "DefaultBehavior": "DROP",
            "Filters": [
                {
                    "Behavior": "KEEP",
                    "Requirement": "MEETS_ANY",
                    "Conditions": [
                        {"ActionCondition": {"Action": "BLOCK"}},
                        {"ActionCondition": {"Action": "COUNT"}},
                    ],
                }
            ],
        },
    )
    return acl
