"""API: two REST APIs in front of the same functions, access logs, optional custom domains; both
behind the web ACL of `web_acl.py`.

Why two APIs: API Gateway's Cognito authorizer accepts either ID tokens (when a method has no OAuth
scopes) or access tokens with a scope (when it has), never both on one method. People use ID tokens,
which carry their group and ``custom:org_id``; case systems use the client-credentials grant, which only
yields access tokens. So:

- the portal API (professionals, operators, BRP) checks ID tokens;
- the case-system API exposes only the signal routes, requires the ``verwijsindex/signals`` scope and an
  API key, and has one usage plan (throttle + quota) per case system. It is the one to put behind a
  custom domain with mutual TLS.

Both have request validation, stage throttling, JSON access logs (encrypted), execution logs at ERROR
without data tracing (bodies contain BSNs and are never logged), X-Ray, and the same web ACL. A path
starting with ``/_local`` (the local runner's helpers) is refused here, so it can never be deployed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import CfnOutput, RemovalPolicy
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_certificatemanager as acm
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct

from infra.config import CustomDomain, RegionConfig
from infra.constructs.identity import Identity
from infra.constructs.web_acl import add_web_acl
from infra.nag import acknowledge

STAGE = "v1"
DOCUMENT_PATH = "/openapi.json"
FORBIDDEN_PREFIX = "/_local"
_AUTHORIZATION = "method.request.header.Authorization"


@dataclass(frozen=True)
class Route:
    """One method on one path. ``body``: the request must carry a JSON object (validated at the edge);
    ``case_systems``: also on the case-system API."""

    method: str
    path: str
    body: bool = False
    case_systems: bool = False

    def __post_init__(self) -> None:
        if self.path == FORBIDDEN_PREFIX or self.path.startswith(FORBIDDEN_PREFIX + "/"):
            raise ValueError(f"{self.path}: /_local routes exist only in the local runner")
        if not self.path.startswith("/"):
            raise ValueError(f"{self.path}: a route path starts with /")


def routes_for(function: str) -> tuple[Route, ...]:
    """The routes a function's handler declares (infra/routes.py), as API Gateway methods."""
    from infra.routes import routes_of

    return tuple(Route(r.method, r.path, body=r.body, case_systems=r.case_systems) for r in routes_of(function))


def _access_log_format() -> apigw.AccessLogFormat:
    field = apigw.AccessLogField
    return apigw.AccessLogFormat.custom(
        json.dumps(
            {
                "requestId": field.context_request_id(),
                "extendedRequestId": field.context_extended_request_id(),
                "requestTimeEpoch": field.context_request_time_epoch(),
                "ip": field.context_identity_source_ip(),
                "httpMethod": field.context_http_method(),
                "resourcePath": field.context_resource_path(),
                "path": field.context_path(),
                "protocol": field.context_protocol(),
                "status": field.context_status(),
                "responseLength": field.context_response_length(),
                "responseLatency": field.context_response_latency(),
                "integrationLatency": field.context_integration_latency(),
                "integrationStatus": field.context_integration_status(),
                "errorType": field.context_error_response_type(),
                "authorizeError": field.context_authorize_error(),
                "wafStatus": field.context_waf_response_code(),
                "sub": field.context_authorizer_claims("sub"),
                "clientId": field.context_authorizer_claims("client_id"),
                "apiKeyId": field.context_identity_api_key_id(),
                "clientCertSerial": field.context_identity_client_cert_serial_number(),
            }
        )
    )


class Api(Construct):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        *,
        config: RegionConfig,
        identity: Identity,
        logs_key: kms.IKey,
        log_retention: logs.RetentionDays,
    ) -> None:
        super().__init__(scope, construct_id)
        self._identity = identity
        code = config.region_code

        # API Gateway writes execution logs through one role per account and AWS region.
        cloudwatch_role = iam.Role(
            self,
            "CloudWatchRole",
            assumed_by=iam.ServicePrincipal("apigateway.amazonaws.com"),
            managed_policies=[
                iam.ManagedPolicy.from_aws_managed_policy_name("service-role/AmazonAPIGatewayPushToCloudWatchLogs")
            ],
        )
        acknowledge(
            cloudwatch_role,
            "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
            "AmazonAPIGatewayPushToCloudWatchLogs]",
            "The AWS-managed policy is the documented way to let API Gateway write execution logs; "
            "it grants only CloudWatch Logs actions and is attached to a role only API Gateway can assume.",
        )
        account = apigw.CfnAccount(self, "Account", cloud_watch_role_arn=cloudwatch_role.role_arn)
        account.apply_removal_policy(RemovalPolicy.RETAIN)

        self.portal = self._rest_api(
            "PortalApi",
            document="regional",
            name=f"verwijsindex-{code}",
            description=f"Verwijsindex {code}: professionals, operators and BRP notifications",
            config=config,
            domain=config.api_domain,
            logs_key=logs_key,
            log_retention=log_retention,
            account=account,
        )
        self.case_system = self._rest_api(
            "CaseSystemApi",
            document="case-systems",
            name=f"verwijsindex-{code}-case-systems",
            description=f"Verwijsindex {code}: case systems (client credentials, API key, usage plan)",
            config=config,
            domain=config.case_system_api_domain,
            logs_key=logs_key,
            log_retention=log_retention,
            account=account,
        )

        self._portal_authorizer = apigw.CognitoUserPoolsAuthorizer(
            self, "PortalAuthorizer", cognito_user_pools=[identity.user_pool], identity_source=_AUTHORIZATION
        )
        self._case_system_authorizer = apigw.CognitoUserPoolsAuthorizer(
            self, "CaseSystemAuthorizer", cognito_user_pools=[identity.user_pool], identity_source=_AUTHORIZATION
        )
        self._validators = {
            api.node.id: api.add_request_validator(
                "Validator", validate_request_body=True, validate_request_parameters=True
            )
            for api in (self.portal, self.case_system)
        }
        self._json_models = {
            api.node.id: api.add_model(
                "JsonObject",
                content_type="application/json",
                description="Any JSON object; the function validates the fields",
                schema=apigw.JsonSchema(
                    schema=apigw.JsonSchemaVersion.DRAFT4,
                    title="JsonObject",
                    type=apigw.JsonSchemaType.OBJECT,
                ),
            )
            for api in (self.portal, self.case_system)
        }

        for client in config.case_systems:
            plan = self.case_system.add_usage_plan(
                f"UsagePlan-{client.name}",
                name=f"verwijsindex-{code}-{client.name}",
                description=f"Case system {client.name}",
                throttle=apigw.ThrottleSettings(rate_limit=client.rate_limit, burst_limit=client.burst_limit),
                quota=(
                    apigw.QuotaSettings(limit=client.quota_per_day, period=apigw.Period.DAY)
                    if client.quota_per_day
                    else None
                ),
                api_stages=[apigw.UsagePlanPerApiStage(api=self.case_system, stage=self.case_system.deployment_stage)],
            )
            key = self.case_system.add_api_key(
                f"ApiKey-{client.name}",
                api_key_name=f"verwijsindex-{code}-{client.name}",
                description=f"Case system {client.name}",
            )
            plan.add_api_key(key)
            CfnOutput(
                self,
                f"ApiKeyId-{client.name}",
                description=f"API key id of case system {client.name} (aws apigateway get-api-key --include-value)",
                value=key.key_id,
            )

        # In this construct's scope, so the web ACL keeps the logical ids it was deployed with.
        self.web_acl = add_web_acl(
            self, config, (self.portal, self.case_system), logs_key=logs_key, log_retention=log_retention
        )

        CfnOutput(self, "PortalApiUrl", value=self.portal.url)
        CfnOutput(self, "CaseSystemApiUrl", value=self.case_system.url)

    # --- routes -------------------------------------------------------------------------------

    def add_routes(self, function: lambda_.IFunction, routes: Sequence[Route]) -> None:
        """Put ``routes`` on the portal API (ID token) and those for case systems on the case-system API
        as well (access token with the signals scope, API key)."""
        integration = apigw.LambdaIntegration(
            function, proxy=True, allow_test_invoke=False, scope_permission_to_method=True
        )
        for route in routes:
            self._add_method(self.portal, route, integration, self._portal_authorizer, scopes=None, api_key=False)
            if route.case_systems:
                self._add_method(
                    self.case_system,
                    route,
                    integration,
                    self._case_system_authorizer,
                    scopes=[self._identity.signals_scope_name],
                    api_key=True,
                )

    def add_document(self, function: lambda_.IFunction) -> None:
        """GET /openapi.json on both APIs, without a token: the contract is public, the data is not."""
        integration = apigw.LambdaIntegration(
            function, proxy=True, allow_test_invoke=False, scope_permission_to_method=True
        )
        for api in self.apis:
            method = api.root.add_resource(DOCUMENT_PATH.strip("/")).add_method(
                "GET", integration, authorization_type=apigw.AuthorizationType.NONE
            )
            reason = (
                "GET /openapi.json serves the published OpenAPI document, which holds no data; "
                "every other method has the Cognito authorizer."
            )
            acknowledge(method, "AwsSolutions-APIG4", reason)
            acknowledge(method, "AwsSolutions-COG4", reason)

    def _add_method(
        self,
        api: apigw.RestApi,
        route: Route,
        integration: apigw.Integration,
        authorizer: apigw.IAuthorizer,
        *,
        scopes: list[str] | None,
        api_key: bool,
    ) -> None:
        resource = api.root.resource_for_path(route.path)
        resource.add_method(
            route.method,
            integration,
            authorizer=authorizer,
            authorization_type=apigw.AuthorizationType.COGNITO,
            authorization_scopes=scopes,
            api_key_required=api_key,
            request_validator=self._validators[api.node.id],
            request_parameters={"method.request.header.Authorization": True},
            request_models={"application/json": self._json_models[api.node.id]} if route.body else None,
        )

    # --- building blocks ----------------------------------------------------------------------

    def _rest_api(
        self,
        construct_id: str,
        *,
        document: str,
        name: str,
        description: str,
        config: RegionConfig,
        domain: CustomDomain | None,
        logs_key: kms.IKey,
        log_retention: logs.RetentionDays,
        account: apigw.CfnAccount,
    ) -> apigw.RestApi:
        access_logs = logs.LogGroup(
            self,
            f"{construct_id}AccessLogs",
            retention=log_retention,
            encryption_key=logs_key,
            removal_policy=RemovalPolicy.RETAIN,
        )
        api = apigw.RestApi(
            self,
            construct_id,
            rest_api_name=name,
            description=description,
            endpoint_types=[apigw.EndpointType.REGIONAL],
            cloud_watch_role=False,
            # With a custom domain (and mutual TLS) nobody may go around it through execute-api.
            disable_execute_api_endpoint=domain is not None,
            deploy_options=apigw.StageOptions(
                stage_name=STAGE,
                access_log_destination=apigw.LogGroupLogDestination(access_logs),
                access_log_format=_access_log_format(),
                logging_level=apigw.MethodLoggingLevel.ERROR,
                data_trace_enabled=False,
                metrics_enabled=True,
                tracing_enabled=True,
                throttling_rate_limit=config.api_rate_limit,
                throttling_burst_limit=config.api_burst_limit,
                # Which committed OpenAPI document GET /openapi.json answers on this API.
                variables={"document": document},
            ),
        )
        api.deployment_stage.node.add_dependency(account)
        # What API Gateway answers itself is an RFC 9457 problem too, as the OpenAPI document says.
        gateway_responses = {
            "Unauthorized": (apigw.ResponseType.UNAUTHORIZED, 401),
            "AccessDenied": (apigw.ResponseType.ACCESS_DENIED, 403),
            "BadRequestBody": (apigw.ResponseType.BAD_REQUEST_BODY, 400),
            "Throttled": (apigw.ResponseType.THROTTLED, 429),
            "QuotaExceeded": (apigw.ResponseType.QUOTA_EXCEEDED, 429),
            "InvalidApiKey": (apigw.ResponseType.INVALID_API_KEY, 403),
            # API Gateway's answer for a path (or method) it does not have.
            "MissingAuthenticationToken": (apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN, 404),
        }
        for response_id, (response_type, status) in gateway_responses.items():
            api.add_gateway_response(
                response_id,
                type=response_type,
                status_code=str(status),
                response_headers={"Content-Type": "'application/problem+json'"},
                templates={
                    "application/json": '{"type": "about:blank", "title": $context.error.messageString, '
                    f'"status": {status}, "detail": $context.error.messageString}}'
                },
            )
        if domain is not None:
            self._custom_domain(construct_id, api, domain)
        return api

    def _custom_domain(self, construct_id: str, api: apigw.RestApi, domain: CustomDomain) -> None:
        mtls = None
        if domain.mtls_truststore_uri:
            mtls = apigw.MTLSConfig(
                bucket=s3.Bucket.from_bucket_name(self, f"{construct_id}Truststore", domain.truststore_bucket),
                key=domain.truststore_key,
                version=domain.mtls_truststore_version,
            )
        custom = apigw.DomainName(
            self,
            f"{construct_id}Domain",
            domain_name=domain.domain_name,
            certificate=acm.Certificate.from_certificate_arn(
                self, f"{construct_id}Certificate", domain.certificate_arn
            ),
            endpoint_type=apigw.EndpointType.REGIONAL,
            security_policy=apigw.SecurityPolicy.TLS_1_2,
            mtls=mtls,
        )
        custom.add_base_path_mapping(api, stage=api.deployment_stage)
        CfnOutput(
            self,
            f"{construct_id}DomainTarget",
            description=f"Point {domain.domain_name} (CNAME or alias) at this regional domain name",
            value=custom.domain_name_alias_domain_name,
        )

    @property
    def apis(self) -> tuple[apigw.RestApi, apigw.RestApi]:
        return (self.portal, self.case_system)
