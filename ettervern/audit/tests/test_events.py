"""Every audit event type is declared once, with the keys its data carries."""

import ast
from pathlib import Path

import pytest

from ettervern.audit import events
from ettervern.audit.events import EventDeclarationError, declare, event_type, event_types
from ettervern.audit.models import AuditEvent
from ettervern.audit.services import audit_record

ROOT = Path(events.__file__).resolve().parents[1]


def test_a_second_declaration_of_a_code_fails():
    with pytest.raises(EventDeclarationError):
        declare("status_changed", says="The same code again")


def test_data_with_an_undeclared_key_is_refused(personas):
    with pytest.raises(EventDeclarationError):
        audit_record(
            actor=personas.coordinator,
            action=AuditEvent.Action.UPDATE,
            obj=personas.participant,
            event=event_type("goal_added"),
            data={"life_area": "health", "description": "free text must never get in"},
        )


def test_a_write_without_a_declared_type_is_refused(personas):
    with pytest.raises(EventDeclarationError):
        audit_record(
            actor=personas.coordinator,
            action=AuditEvent.Action.UPDATE,
            obj=personas.participant,
            data={"event": "made_up"},
        )


def test_each_app_declares_and_renders_its_own_types():
    by_code = {e.code: e for e in event_types()}
    assert by_code["agreement_version"].app == "followup"
    assert by_code["triangle_version"].app == "employment"
    assert by_code["relapse_recorded"].app == "employment"
    assert by_code["match_started"].app == "matching"
    assert by_code["status_changed"].app == "participants"
    for e in event_types():
        module = ROOT / e.app / "events.py"
        assert f'"{e.code}"' in module.read_text(), f"{e.code} is not declared in {module}"


def test_every_renderer_copes_with_rows_written_before_a_key_existed():
    for e in event_types():
        if e.render is not None:
            assert isinstance(e.text({}), str), e.code


def _audit_calls():
    for path in ROOT.rglob("*.py"):
        if "/tests/" in path.as_posix() or "/migrations/" in path.as_posix():
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_record":
                yield path, node


def test_no_audit_call_writes_an_event_code_by_hand():
    """Codes come from the declarations only (``event=...``), never a string in ``data``."""
    found = []
    for path, call in _audit_calls():
        for kw in call.keywords:
            if kw.arg == "data" and isinstance(kw.value, ast.Dict):
                keys = [k.value for k in kw.value.keys if isinstance(k, ast.Constant)]
                if "event" in keys:
                    found.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found == []
    assert sum(1 for _ in _audit_calls()) > 50  # the scan sees the calls


def test_demo_history_uses_declared_types_and_keys(db):
    from django.core.management import call_command

    call_command("seed_demo", "--quiet-logins")
    undeclared = []
    rows = AuditEvent.objects.exclude(action__in=["read", "denied"])
    for data in rows.values_list("data", flat=True):
        declared = event_type(data.get("event"))
        if declared is None or set(data) - {"event"} - declared.keys:
            undeclared.append(data)
    assert undeclared == []
