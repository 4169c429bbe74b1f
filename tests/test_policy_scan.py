"""One access policy: no code outside the `policy.py` files decides access by comparing
roles, and every action the code asks about is in the vocabulary with a rule."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from spip import policy

ROOT = Path(__file__).resolve().parent.parent
APPS = ["spip", "cases", "deadlines", "interviews", "workshops", "reporting"]
TEMPLATE_DIRS = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]

# Role comparisons that decide nothing about access, each with its reason. Keyed by file and
# enclosing function (or class), so that moving lines does not break the list.
ALLOWED_PYTHON = {
    ("spip/models.py", "User.place_label"): "display: where the user works (a clerk's court, "
    "a partner's organisation, a branch)",
    ("spip/management/commands/seed_demo.py", "Command.handle"): "demo seeding: the demo's "
    "administrator account is the Django staff member",
    ("spip/views.py", "home"): "display: the home page names the branches a director directs",
}
ALLOWED_TEMPLATES = {
    "templates/spip/home.html": "display: the label of the user's place of work (court, "
    "organisation or branch)",
}
SKIPPED = {"policy.py", "demo.py"}  # the rules themselves; demo seeding picks users by role


def _python_files() -> list[Path]:
    return [
        path
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "bench" not in path.parts and path.name not in SKIPPED
    ]


def _is_role(node: ast.AST) -> bool:
    """`x.role`, `Role.X`, a string that names a role compared to one of those."""
    if isinstance(node, ast.Attribute):
        if node.attr == "role":
            return True
        return isinstance(node.value, ast.Name) and node.value.id == "Role"
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_is_role(element) for element in node.elts)
    return False


def _role_comparisons(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[tuple[int, str]] = []

    def visit(node: ast.AST, scope: list[str]) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                visit(child, [*scope, child.name])
                continue
            if isinstance(child, ast.Compare) and (
                _is_role(child.left) or any(_is_role(item) for item in child.comparators)
            ):
                found.append((child.lineno, ".".join(scope)))
            visit(child, scope)

    visit(tree, [])
    return found


def test_no_role_comparison_decides_access_outside_the_policy_files():
    offenders = []
    for path in _python_files():
        relative = str(path.relative_to(ROOT))
        for line, scope in _role_comparisons(path):
            if (relative, scope) not in ALLOWED_PYTHON:
                offenders.append(f"{relative}:{line} in {scope or 'module'}")
    assert not offenders, "ask spip.policy (can/require/check) instead:\n" + "\n".join(offenders)


def test_no_template_compares_roles():
    pattern = re.compile(r"\brole\s*(==|!=|\bin\b)|(==|!=)\s*[\w.]*\.role\b")
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            relative = str(path.relative_to(ROOT))
            if relative in ALLOWED_TEMPLATES:
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if pattern.search(line):
                    offenders.append(f"{relative}:{number}")
    assert not offenders, "use {% can %} instead:\n" + "\n".join(offenders)


def test_the_allowlists_name_places_that_still_exist():
    """An entry whose comparison went away is removed from the list."""
    present = {
        (str(path.relative_to(ROOT)), scope)
        for path in _python_files()
        for _line, scope in _role_comparisons(path)
    }
    assert set(ALLOWED_PYTHON) <= present, set(ALLOWED_PYTHON) - present
    assert all((ROOT / name).exists() for name in ALLOWED_TEMPLATES)


ASKED = re.compile(
    r"""(?:\b(?:can|require|check|decide|[a-z_]+_for)\([^)"']*?|\{%\s*can\s+|action=)"""
    r"""["']([a-z]+\.[a-z_]+)["']"""
)
LITERAL = re.compile(r"""["']([a-z]+\.[a-z_]+)["']""")


def test_every_action_asked_is_in_the_vocabulary_and_has_a_rule():
    asked: dict[str, str] = {}
    named: set[str] = set()  # action names written outside the rules, asked or passed on
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                text = path.read_text()
                for match in ASKED.finditer(text):
                    asked.setdefault(match.group(1), str(path.relative_to(ROOT)))
                if path.name != "policy.py":
                    named |= set(LITERAL.findall(text)) & set(policy.ACTIONS)
    assert asked, "the scan found no question asked of the policy"
    unknown = {action: where for action, where in asked.items() if action not in policy.ACTIONS}
    assert not unknown, unknown
    assert policy.registered_actions() == set(policy.ACTIONS), (
        set(policy.ACTIONS) ^ policy.registered_actions()
    )
    unused = set(policy.ACTIONS) - set(asked) - named
    assert not unused, f"actions no code asks about: {sorted(unused)}"
