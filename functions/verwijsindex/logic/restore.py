"""After a point-in-time restore: destroy again what the audit trail says was destroyed since.

A restore of the main table brings back every item as it was at the restore point, so signals that
were destroyed after it (withdrawn as unjustified, purged, the 23rd birthday, death, an upheld
objection) reappear, with their matches and notifications. The audit table is append-only and is not
restored with it: its destruction entries after the restore point are the list of what must go again.
This replays them, oldest first, through the same store operations the functions use. Idempotent: an
item already gone is simply not there to delete.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from verwijsindex.domain.audit import AuditAction, AuditEntry, SubjectKind
from verwijsindex.ports.matches import MatchStore
from verwijsindex.ports.youth_partitions import YouthPartitions

SIGNAL_DESTRUCTIONS = frozenset({AuditAction.SIGNAL_DESTROYED, AuditAction.SIGNAL_PURGED})
DESTRUCTIONS = SIGNAL_DESTRUCTIONS | {AuditAction.YOUTH_DESTROYED}


@dataclass
class ReplayReport:
    entries: int = 0  # destruction entries after the restore point
    signals: int = 0  # signals destroyed again
    youths: int = 0  # youths destroyed again
    items_deleted: int = 0


@dataclass
class DestructionReplay:
    matches: MatchStore
    partitions: YouthPartitions

    def replay(self, entries: Iterable[AuditEntry], since: datetime) -> ReplayReport:
        report = ReplayReport()
        for entry in sorted((e for e in entries if e.action in DESTRUCTIONS and e.at > since), key=lambda e: e.at):
            if entry.subject.kind is not SubjectKind.YOUTH:
                continue
            youth_key = entry.subject.id
            report.entries += 1
            if entry.action is AuditAction.YOUTH_DESTROYED:
                report.items_deleted += self.partitions.forget_youth_matches(youth_key)
                report.items_deleted += self.partitions.forget_partition(youth_key)
                report.youths += 1
            elif entry.target:
                report.items_deleted += self._signal(youth_key, entry.target)
                report.signals += 1
        return report

    def _signal(self, youth_key: str, signal_id: str) -> int:
        """The signal, its guard (if it still points at it), its renewal notice, and its matches."""
        deleted = self.matches.forget_signal(youth_key, signal_id)
        return deleted + self.partitions.forget_signal_items(youth_key, signal_id)
