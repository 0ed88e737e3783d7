"""The region's organisation registry in the single table (the port: ports/registry.py):
organisations, their professionals and case systems."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from verwijsindex.adapters.dynamo import keys
from verwijsindex.adapters.dynamo.address_store import forget_request
from verwijsindex.adapters.dynamo.audit_log import AuditLog
from verwijsindex.adapters.dynamo.codec import from_item, to_item
from verwijsindex.adapters.dynamo.requests import get_batches, query_all
from verwijsindex.domain.audit import AuditEntry
from verwijsindex.domain.models import Handover, Organisation, OrganisationStatus, Professional
from verwijsindex.ports.registry import Registration

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient
    from mypy_boto3_dynamodb.type_defs import TransactWriteItemTypeDef, UpdateTypeDef


class RegistryStore:
    def __init__(self, client: DynamoDBClient, table_name: str, audit: AuditLog) -> None:
        self._client = client
        self._table = table_name
        self._audit = audit

    def organisation_and_professional(
        self, org_id: str, user_id: str
    ) -> tuple[Organisation | None, Professional | None]:
        # One BatchGetItem instead of two reads.
        org_key = {keys.PK: keys.org_pk(org_id), keys.SK: keys.ORG_SK}
        pro_key = {keys.PK: keys.org_pk(org_id), keys.SK: keys.professional_sk(user_id)}
        found = get_batches(self._client, self._table, [to_item(org_key), to_item(pro_key)], consistent=True)
        organisation: Organisation | None = None
        professional: Professional | None = None
        for item in found:
            values = from_item(item)
            if values[keys.SK] == keys.ORG_SK:
                organisation = _organisation(values)
            else:
                professional = _professional(values)
        return organisation, professional

    def get_organisation(self, org_id: str) -> Organisation | None:
        item = self._client.get_item(
            TableName=self._table, Key=to_item({keys.PK: keys.org_pk(org_id), keys.SK: keys.ORG_SK})
        ).get("Item")
        if item is None:
            return None
        return _organisation(from_item(item))

    def organisations(self, org_ids: Iterable[str]) -> dict[str, Organisation]:
        # BatchGetItem requests of 100.
        item_keys = [to_item({keys.PK: keys.org_pk(org_id), keys.SK: keys.ORG_SK}) for org_id in sorted(set(org_ids))]
        found = (_organisation(from_item(item)) for item in get_batches(self._client, self._table, item_keys))
        return {organisation.org_id: organisation for organisation in found}

    def list_organisations(self) -> list[Organisation]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.GSI1,
            "KeyConditionExpression": "GSI1PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.ORGS_INDEX_PK}},
        }
        return [_organisation(from_item(item)) for item in query_all(self._client, request)]

    def create_organisation(self, organisation: Organisation, audit: AuditEntry) -> bool:
        org_item = {
            keys.PK: keys.org_pk(organisation.org_id),
            keys.SK: keys.ORG_SK,
            keys.ENTITY: "organisation",
            keys.GSI1PK: keys.ORGS_INDEX_PK,
            keys.GSI1SK: keys.org_pk(organisation.org_id),
            **organisation.model_dump(mode="json"),
        }
        puts: list[TransactWriteItemTypeDef] = [
            {
                "Put": {
                    "TableName": self._table,
                    "Item": to_item(org_item),
                    "ConditionExpression": "attribute_not_exists(PK)",
                }
            }
        ]
        for client_id in organisation.machine_clients:
            client_item = {
                keys.PK: keys.client_pk(client_id),
                keys.SK: "CLIENT",
                keys.ENTITY: "client",
                "org_id": organisation.org_id,
            }
            puts.append(
                {
                    "Put": {
                        "TableName": self._table,
                        "Item": to_item(client_item),
                        "ConditionExpression": "attribute_not_exists(PK)",
                    }
                }
            )
        try:
            self._client.transact_write_items(TransactItems=[*puts, self._audit.put_request(audit)])
        except self._client.exceptions.TransactionCanceledException as error:
            reasons = error.response.get("CancellationReasons", [])
            if any(reason.get("Code") == "ConditionalCheckFailed" for reason in reasons):
                return False
            raise
        return True

    def set_status(self, org_id: str, status: OrganisationStatus, audit: AuditEntry) -> bool:
        return self._update_organisation(
            org_id, "SET #status = :status", {":status": {"S": status.value}}, audit, names={"#status": "status"}
        )

    def set_profile(self, org_id: str, profile: str, audit: AuditEntry) -> bool:
        return self._update_organisation(
            org_id, "SET signalling_profile = :profile", {":profile": {"S": profile}}, audit
        )

    def _update_organisation(
        self,
        org_id: str,
        expression: str,
        values: dict[str, Any],
        audit: AuditEntry,
        names: dict[str, str] | None = None,
    ) -> bool:
        """One change to an existing organisation, with its audit entry in the same transaction."""
        update: UpdateTypeDef = {
            "TableName": self._table,
            "Key": to_item({keys.PK: keys.org_pk(org_id), keys.SK: keys.ORG_SK}),
            "UpdateExpression": expression,
            "ConditionExpression": "attribute_exists(PK)",
            "ExpressionAttributeValues": values,
        }
        if names:
            update["ExpressionAttributeNames"] = names
        try:
            self._client.transact_write_items(TransactItems=[{"Update": update}, self._audit.put_request(audit)])
        except self._client.exceptions.TransactionCanceledException:
            return False
        return True

    def add_professional(self, professional: Professional, audit: AuditEntry) -> Registration:
        item = _professional_item(professional)
        try:
            self._client.transact_write_items(
                TransactItems=[
                    {
                        "ConditionCheck": {
                            "TableName": self._table,
                            "Key": to_item({keys.PK: keys.org_pk(professional.org_id), keys.SK: keys.ORG_SK}),
                            "ConditionExpression": "attribute_exists(PK)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self._table,
                            "Item": to_item(item),
                            "ConditionExpression": "attribute_not_exists(PK)",
                        }
                    },
                    # A registered address starts out deliverable (an earlier bounce is forgotten).
                    forget_request(self._table, str(professional.contact.email)),
                    self._audit.put_request(audit),
                ]
            )
        except self._client.exceptions.TransactionCanceledException as error:
            codes = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if codes and codes[0] == "ConditionalCheckFailed":
                return Registration.NO_ORGANISATION
            if len(codes) > 1 and codes[1] == "ConditionalCheckFailed":
                return Registration.TAKEN
            raise
        return Registration.DONE

    def update_professional(self, professional: Professional, audits: Sequence[AuditEntry]) -> None:
        self._replace(professional, audits, forget_request(self._table, str(professional.contact.email)))

    def deactivate_professional(self, professional: Professional, audit: AuditEntry, handover: Handover | None) -> None:
        if handover is None:
            self._replace(professional, [audit])
            return
        item = {
            keys.PK: keys.handover_pk(handover.org_id, handover.user_id),
            keys.SK: keys.HANDOVER_SK,
            keys.ENTITY: "handover",
            keys.GSI1PK: keys.HANDOVERS_INDEX_PK,
            keys.GSI1SK: keys.handover_index_sk(handover.due_on, handover.org_id, handover.user_id),
            **handover.model_dump(mode="json"),
        }
        self._replace(professional, [audit], {"Put": {"TableName": self._table, "Item": to_item(item)}})

    def _replace(
        self, professional: Professional, audits: Sequence[AuditEntry], *also: TransactWriteItemTypeDef
    ) -> None:
        """The professional's item (only over a registered one), its audit entries and `also`, together."""
        put: TransactWriteItemTypeDef = {
            "Put": {
                "TableName": self._table,
                "Item": to_item(_professional_item(professional)),
                "ConditionExpression": "attribute_exists(PK)",
            }
        }
        self._client.transact_write_items(
            TransactItems=[put, *(self._audit.put_request(audit) for audit in audits), *also]
        )

    def list_professionals(self, org_id: str) -> list[Professional]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "KeyConditionExpression": "PK = :pk AND begins_with(SK, :sk)",
            "ExpressionAttributeValues": to_item({":pk": keys.org_pk(org_id), ":sk": keys.professional_sk.start}),
        }
        return [_professional(from_item(item)) for item in query_all(self._client, request)]

    def forget_handover(self, org_id: str, user_id: str, audit: AuditEntry) -> None:
        key = {keys.PK: keys.handover_pk(org_id, user_id), keys.SK: keys.HANDOVER_SK}
        self._client.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": self._table, "Key": to_item(key)}},
                self._audit.put_request(audit),
            ]
        )

    def list_handovers(self) -> list[Handover]:
        request: dict[str, Any] = {
            "TableName": self._table,
            "IndexName": keys.GSI1,
            "KeyConditionExpression": "GSI1PK = :pk",
            "ExpressionAttributeValues": {":pk": {"S": keys.HANDOVERS_INDEX_PK}},
        }
        return [
            Handover.model_validate({k: v for k, v in from_item(item).items() if k in Handover.model_fields})
            for item in query_all(self._client, request)
        ]

    def get_professional(self, org_id: str, user_id: str) -> Professional | None:
        item = self._client.get_item(
            TableName=self._table,
            Key=to_item({keys.PK: keys.org_pk(org_id), keys.SK: keys.professional_sk(user_id)}),
        ).get("Item")
        if item is None:
            return None
        return _professional(from_item(item))

    def org_for_client(self, client_id: str) -> str | None:
        item = self._client.get_item(
            TableName=self._table, Key=to_item({keys.PK: keys.client_pk(client_id), keys.SK: "CLIENT"})
        ).get("Item")
        return str(from_item(item)["org_id"]) if item else None


def _organisation(values: dict[str, Any]) -> Organisation:
    return Organisation.model_validate({k: values[k] for k in Organisation.model_fields if k in values})


def _professional_item(professional: Professional) -> dict[str, Any]:
    return {
        keys.PK: keys.org_pk(professional.org_id),
        keys.SK: keys.professional_sk(professional.user_id),
        keys.ENTITY: "professional",
        **professional.model_dump(mode="json", exclude_none=True),
    }


def _professional(values: dict[str, Any]) -> Professional:
    return Professional.model_validate({k: values[k] for k in Professional.model_fields if k in values})
