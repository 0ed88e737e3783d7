"""cdk-nag (v3, CDK's Validations API): the AwsSolutions pack runs on every synth.

A finding that is accepted is acknowledged on the construct it concerns, one finding at a time
(``AwsSolutions-IAM5[Resource::*]``, never the bare rule), with the reason in the code next to it.
Any finding that is not acknowledged makes the synth fail.
"""

from __future__ import annotations

import cdk_nag
from aws_cdk import Acknowledgment, App, CfnElement, Stack, Validations
from constructs import IConstruct


def acknowledge(scope: IConstruct, finding: str, reason: str) -> None:
    """Accept one cdk-nag finding on ``scope`` (and the constructs below it), with its reason."""
    if len(reason) < 20:
        raise ValueError("an acknowledgement needs a real reason")
    Validations.of(scope).acknowledge(Acknowledgment(id=finding, reason=reason))


def logical_id(construct: IConstruct) -> str:
    """The CloudFormation logical id of an L2 construct's resource, as cdk-nag names it in a finding."""
    resource = construct.node.default_child
    if not isinstance(resource, CfnElement):
        raise TypeError(f"{construct.node.path} has no CloudFormation resource")
    stack = Stack.of(resource)
    return str(stack.resolve(stack.get_logical_id(resource)))


def add_nag(app: App) -> None:
    """Run the AwsSolutions checks as a validation plugin of ``app``."""
    Validations.of(app).add_plugins(cdk_nag.AwsSolutionsChecks(app))
