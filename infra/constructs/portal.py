"""The portal for professionals, and the municipality's console in it: a backend-for-frontend
Lambda behind its own REST API.

Pages are rendered on the server (Jinja2); the browser gets HTML, CSS and one HttpOnly session
cookie, never a token. Sign-in is Cognito's managed login (authorization code flow with PKCE,
TOTP required by the user pool); the session lives in its own table (TTL, index by user for
sign-out everywhere). API Gateway has no authorizer here: the function checks the session on
every request, and calls the same use cases as the API. The region's web ACL guards it too.
Static assets (NL Design System CSS) come from the same function under content-hash URLs with
a year's Cache-Control, so browsers and any CDN in front keep them.
"""

from __future__ import annotations

from dataclasses import replace

from aws_cdk import CfnOutput, Duration, RemovalPolicy, Stack
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_cognito as cognito
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_logs as logs
from aws_cdk import aws_wafv2 as wafv2
from constructs import Construct

from infra.config import REPO_ROOT
from infra.constructs.api import STAGE
from infra.constructs.data import GSI1, GSI2, GSI3
from infra.constructs.function import ServiceFunction
from infra.constructs.identity import Identity
from infra.constructs.platform import Platform
from infra.constructs.portal_bundle import portal_code
from infra.nag import acknowledge

HANDLER = "portal.handler.lambda_handler"
SESSIONS_BY_USER = "by_user"
# What the pages send (the function adds them to every response; the template tests check them).
SESSION_COOKIE = "__Host-vi-sessie"


class Portal(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, platform: Platform, identity: Identity) -> None:
        super().__init__(scope, construct_id)
        config = platform.config
        data = platform.data
        code = config.region_code
        stack = Stack.of(self)

        self.session_table = dynamodb.Table(
            self,
            "SessionTable",
            partition_key=dynamodb.Attribute(name="id", type=dynamodb.AttributeType.STRING),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=data.key,
            time_to_live_attribute="ttl",
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True, recovery_period_in_days=1
            ),
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        self.session_table.add_global_secondary_index(
            index_name=SESSIONS_BY_USER,
            partition_key=dynamodb.Attribute(name="user_id", type=dynamodb.AttributeType.STRING),
            projection_type=dynamodb.ProjectionType.KEYS_ONLY,
        )

        access_logs = logs.LogGroup(
            self,
            "AccessLogs",
            retention=platform.defaults.log_retention,
            encryption_key=platform.defaults.logs_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        domain = config.portal_domain
        self.api = apigw.RestApi(
            self,
            "Pages",
            rest_api_name=f"verwijsindex-{code}-portaal",
            description=f"Verwijsindex {code}: the portal for professionals (pages, no tokens)",
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=False,
            disable_execute_api_endpoint=domain is not None,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=apigw.AccessLogFormat.json_with_standard_fields(
                    caller=False,
                    http_method=True,
                    ip=True,
                    protocol=True,
                    request_time=True,
                    resource_path=True,
                    response_length=True,
                    status=True,
                    user=False,
                ),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=config.api_rate_limit,
                throttling_burst_limit=config.api_burst_limit,
            ),
        )
        if domain is not None:
            custom = apigw.DomainName(
                self,
                "Domain",
                domain_name=domain.domain_name,
                certificate=acm.Certificate.from_certificate_arn(self, "Certificate", domain.certificate_arn),
                endpoint_type=apigw.EndpointType.REGIONAL,
                security_policy=apigw.SecurityPolicy.TLS_1_2,
            )
            custom.add_base_path_mapping(self.api, stage=self.api.deployment_stage)
            origin, base_path = f"https://{domain.domain_name}", "/portaal"
            CfnOutput(self, "DomainTarget", value=custom.domain_name_alias_domain_name)
        else:
            origin = f"https://{self.api.rest_api_id}.execute-api.{stack.region}.{stack.url_suffix}"
            base_path = f"/{STAGE}/portaal"
        wafv2.CfnWebACLAssociation(
            self,
            "WebAclAssociation",
            resource_arn=self.api.deployment_stage.stage_arn,
            web_acl_arn=platform.api.web_acl.attr_arn,
        )

        # The managed login pages, and where they may send people back to.
        callback_url, signed_out_url = f"{origin}{base_path}/callback", f"{origin}{base_path}/inloggen"
        client = identity.portal_client.node.default_child
        assert isinstance(client, cognito.CfnUserPoolClient)
        client.add_property_override("CallbackURLs", [callback_url, *config.portal_callback_urls])
        client.add_property_override("LogoutURLs", [signed_out_url])
        cognito.CfnManagedLoginBranding(
            self,
            "LoginBranding",
            user_pool_id=identity.user_pool.user_pool_id,
            client_id=identity.portal_client.user_pool_client_id,
            use_cognito_provided_values=True,
        )

        theme = REPO_ROOT / config.portal_theme_css if config.portal_theme_css else None
        self.function = ServiceFunction(
            self,
            "Function",
            defaults=replace(platform.defaults, code=portal_code(config.python_runtime, theme)),
            handler=HANDLER,
            service="portal",
            description="Verwijsindex: the portal for professionals (server-side pages, sessions)",
            timeout=Duration.seconds(20),
            environment={
                "SESSION_TABLE_NAME": self.session_table.table_name,
                "PORTAL_LOGIN": "cognito",
                "PORTAL_BASE_PATH": base_path,
                "PORTAL_PUBLIC_ORIGIN": origin,
                "PORTAL_REGION_NAME": f"Verwijsindex {config.display_name}".strip()[:100],
                "PORTAL_THEME_CLASS": config.portal_theme_class,
                "COGNITO_DOMAIN": identity.domain.base_url(),
                "COGNITO_CLIENT_ID": identity.portal_client.user_pool_client_id,
                "COGNITO_USER_POOL_ID": identity.user_pool.user_pool_id,
                "COGNITO_ISSUER": f"https://cognito-idp.{stack.region}.{stack.url_suffix}/{identity.user_pool.user_pool_id}",
                # The console invites, deactivates and signs out professionals in this pool.
                "USER_POOL_ID": identity.user_pool.user_pool_id,
            },
        )
        role = self.function.role
        data.grant(
            role,
            self.session_table,
            ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"],
            indexes=[SESSIONS_BY_USER],
        )
        # The same reads and writes as the signals function: the portal calls the same use cases.
        data.grant(
            role,
            data.table,
            [
                "dynamodb:GetItem",
                "dynamodb:BatchGetItem",
                "dynamodb:Query",
                "dynamodb:PutItem",
                "dynamodb:UpdateItem",
                "dynamodb:DeleteItem",
                "dynamodb:BatchWriteItem",
                "dynamodb:ConditionCheckItem",
            ],
            # GSI2: the console's rights requests by status; GSI3: the work the sweeper gave up on.
            indexes=[GSI1, GSI2, GSI3],
        )
        # The console reads the audit trail (of a youth, and of an actor through its index).
        data.grant_audit_append(role, query=True)
        platform.keys.grant_parameters(role, config.secure_parameter_names)
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="SignOutEverywhere",
                actions=["cognito-idp:AdminUserGlobalSignOut"],
                resources=[identity.user_pool.user_pool_arn],
            )
        )
        # The municipality's console: inviting a professional creates the account (with the
        # organisation) in the professional group; deactivating one disables it (and signs out,
        # above). Nothing else in the pool: no reads of users, no deletes, no attribute changes.
        role.add_to_principal_policy(
            iam.PolicyStatement(
                sid="ConsoleAccounts",
                actions=[
                    "cognito-idp:AdminCreateUser",
                    "cognito-idp:AdminAddUserToGroup",
                    "cognito-idp:AdminDisableUser",
                ],
                resources=[identity.user_pool.user_pool_arn],
            )
        )
        # Our own Dutch invitation (Cognito's is suppressed) and the objection e-mails of decided
        # rights requests: from the region's sender, through its configuration set.
        platform.email.grant_send(role)

        integration = apigw.LambdaIntegration(self.function.function, proxy=True, allow_test_invoke=False)
        self.api.root.add_method("GET", integration)  # "/" redirects to the portal
        pages = self.api.root.add_resource("portaal")
        pages.add_method("ANY", integration)
        pages.add_resource("{proxy+}").add_method("ANY", integration)
        for finding in ("AwsSolutions-APIG4", "AwsSolutions-COG4"):
            acknowledge(
                self.api,
                finding,
                "The portal is a backend-for-frontend: anyone may load its sign-in and help pages, and the "
                "function checks the server-side session (from Cognito's managed login) on every other page.",
            )
        acknowledge(
            self.api,
            "AwsSolutions-APIG2",
            "Requests are HTML form posts; the function validates every field with the same pydantic "
            "models as the API, which API Gateway's JSON-schema validation cannot express for forms.",
        )
        CfnOutput(self, "PortalUrl", value=f"{origin}{base_path}/")
