"""The apps' dependency direction, made explicit: each app's domain code (models, events,
selectors, services and helpers) imports only from apps to its left, at module level.

Views, panels, forms, demo data and the like are glue: they may use any app's selectors and
services. A cycle between domain apps, or an import hidden inside a function to dodge one, means
a rule sits in the wrong app.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ORDER = [
    "lib",
    "accounts",
    "audit",
    "orgadmin",
    "participants",
    "peers",
    "matching",
    "outcomes",
    "followup",
    "arenas",
    "employment",
    "reports",
    "research",
    "imports",
    "offers",
    "reminders",
    "radar",
    "web",
]
GLUE = {
    "views",
    "panels",
    "forms",
    "urls",
    "demo",
    "apps",
    "admin",
    "decorators",
    "middleware",
    "adapters",
    "backends",
    "context_processors",
    "home_panels",
    "converters",
}


def _domain_modules():
    for app in ORDER:
        for path in (ROOT / app).rglob("*.py"):
            parts = path.relative_to(ROOT).parts
            if {"tests", "migrations", "management", "templatetags"} & set(parts):
                continue
            if path.stem in GLUE:
                continue
            yield app, path


def _imports(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("ettervern."):
            yield node, node.module.split(".")[1]


def test_domain_code_imports_only_from_apps_to_its_left():
    wrong = []
    for app, path in _domain_modules():
        for node, target in _imports(ast.parse(path.read_text())):
            if target in ORDER and ORDER.index(target) > ORDER.index(app):
                wrong.append(f"{path.relative_to(ROOT)}:{node.lineno} -> {node.module}")
    assert wrong == []


def test_domain_code_hides_no_import_inside_a_function():
    hidden = []
    for _app, path in _domain_modules():
        tree = ast.parse(path.read_text())
        for func in ast.walk(tree):
            if isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
                for node, _target in _imports(func):
                    hidden.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.module}")
    assert hidden == []


def test_the_scan_sees_the_domain_code():
    scanned = {path.relative_to(ROOT).as_posix() for _app, path in _domain_modules()}
    assert {"matching/access.py", "participants/services.py", "followup/budget.py"} <= scanned
