"""Who may call the API: one Cognito user pool per region.

- people (professionals, operators, the BRP notification sender) sign in with e-mail, password and a
  TOTP second factor; their group (``professional``, ``operator``, ``brp``) and their organisation
  (custom attribute ``org_id``, set by an operator, never writable by the user) are claims of the ID
  token the portal API's authorizer accepts;
- case systems are app clients with the client-credentials grant and the scope
  ``verwijsindex/signals`` on the resource server; they call the case-system API with an access token.

No self sign-up: operators create accounts (``admin-create-user``) and put them in a group.
"""

from __future__ import annotations

from aws_cdk import CfnOutput, Duration, RemovalPolicy
from aws_cdk import aws_cognito as cognito
from constructs import Construct

from infra.config import RegionConfig

GROUPS = {
    "professional": "Professionals of affiliated organisations: place signals, see their matches",
    "operator": "Regional operators: register organisations, handle rights requests, read the audit trail",
    "brp": "The BRP notification sender (deaths, moves)",
}
RESOURCE_SERVER = "verwijsindex"
SIGNALS_SCOPE = "signals"
ORG_ID_ATTRIBUTE = "org_id"


class Identity(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, config: RegionConfig) -> None:
        super().__init__(scope, construct_id)
        code = config.region_code

        self.user_pool = cognito.UserPool(
            self,
            "UserPool",
            user_pool_name=f"verwijsindex-{code}",
            self_sign_up_enabled=False,
            sign_in_aliases=cognito.SignInAliases(email=True),
            sign_in_case_sensitive=False,
            auto_verify=cognito.AutoVerifiedAttrs(email=True),
            standard_attributes=cognito.StandardAttributes(
                email=cognito.StandardAttribute(required=True, mutable=True),
            ),
            custom_attributes={
                ORG_ID_ATTRIBUTE: cognito.StringAttribute(min_len=2, max_len=63, mutable=True),
            },
            mfa=cognito.Mfa.REQUIRED,
            mfa_second_factor=cognito.MfaSecondFactor(otp=True, sms=False),
            password_policy=cognito.PasswordPolicy(
                min_length=12,
                require_lowercase=True,
                require_uppercase=True,
                require_digits=True,
                require_symbols=True,
                temp_password_validity=Duration.days(3),
            ),
            account_recovery=cognito.AccountRecovery.EMAIL_ONLY,
            feature_plan=cognito.FeaturePlan.PLUS,
            standard_threat_protection_mode=cognito.StandardThreatProtectionMode.FULL_FUNCTION,
            deletion_protection=True,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for name, description in GROUPS.items():
            cognito.UserPoolGroup(
                self,
                f"Group{name.capitalize()}",
                user_pool=self.user_pool,
                group_name=name,
                description=description,
            )

        self.signals_scope = cognito.ResourceServerScope(
            scope_name=SIGNALS_SCOPE,
            scope_description="Place, read and close signals and read their matches for the client's organisation",
        )
        self.resource_server = self.user_pool.add_resource_server(
            "ResourceServer", identifier=RESOURCE_SERVER, scopes=[self.signals_scope]
        )
        self.domain = self.user_pool.add_domain(
            "Domain",
            cognito_domain=cognito.CognitoDomainOptions(domain_prefix=config.user_pool_domain_prefix),
            managed_login_version=cognito.ManagedLoginVersion.NEWER_MANAGED_LOGIN,
        )

        self.portal_client = self.user_pool.add_client(
            "PortalClient",
            user_pool_client_name=f"verwijsindex-{code}-portal",
            generate_secret=False,
            auth_flows=cognito.AuthFlow(user_srp=True),
            o_auth=cognito.OAuthSettings(
                flows=cognito.OAuthFlows(authorization_code_grant=True),
                scopes=[cognito.OAuthScope.OPENID, cognito.OAuthScope.EMAIL, cognito.OAuthScope.PROFILE],
                callback_urls=config.portal_callback_urls,
            ),
            prevent_user_existence_errors=True,
            enable_token_revocation=True,
            id_token_validity=Duration.minutes(60),
            access_token_validity=Duration.minutes(60),
            refresh_token_validity=Duration.hours(12),
            read_attributes=cognito.ClientAttributes()
            .with_standard_attributes(email=True, email_verified=True, fullname=True, phone_number=True)
            .with_custom_attributes(ORG_ID_ATTRIBUTE),
            # org_id is deliberately absent: a user must never move themselves to another organisation.
            write_attributes=cognito.ClientAttributes().with_standard_attributes(fullname=True, phone_number=True),
        )

        self.case_system_clients: dict[str, cognito.UserPoolClient] = {}
        for client in config.case_systems:
            app_client = self.user_pool.add_client(
                f"CaseSystem-{client.name}",
                user_pool_client_name=f"case-system-{client.name}",
                generate_secret=True,
                auth_flows=cognito.AuthFlow(),
                o_auth=cognito.OAuthSettings(
                    flows=cognito.OAuthFlows(client_credentials=True),
                    scopes=[cognito.OAuthScope.resource_server(self.resource_server, self.signals_scope)],
                ),
                prevent_user_existence_errors=True,
                enable_token_revocation=True,
                access_token_validity=Duration.minutes(60),
            )
            self.case_system_clients[client.name] = app_client
            CfnOutput(
                self,
                f"CaseSystemClientId-{client.name}",
                description=f"Cognito client id of case system {client.name}: register it with its organisation",
                value=app_client.user_pool_client_id,
            )

        CfnOutput(self, "UserPoolId", value=self.user_pool.user_pool_id)
        CfnOutput(self, "PortalClientId", value=self.portal_client.user_pool_client_id)
        CfnOutput(
            self,
            "TokenEndpoint",
            description="OAuth2 token endpoint for the case systems (client credentials)",
            value=f"{self.domain.base_url()}/oauth2/token",
        )

    @property
    def signals_scope_name(self) -> str:
        return f"{RESOURCE_SERVER}/{SIGNALS_SCOPE}"
