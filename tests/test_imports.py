"""The import structure: no two modules import each other, directly or round a circle.

A circle makes the order of imports matter and hides which module owns a rule (the checks and
the lint used to import each other; the registry they share is now `seloste.rules`). The scan
reads the import statements with ast, including imports inside functions, so a lazy import
cannot hide a circle.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in sorted((ROOT / "seloste").rglob("*.py"))}


def _imports(path: Path, name: str, known: set[str]) -> set[str]:
    """The project modules ``path`` imports (``from seloste import x`` counts x if a module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            targets = [base] + [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:
                target = target.rpartition(".")[0]
            if target and target != name:
                out.add(target)
    return out


def import_graph() -> dict[str, set[str]]:
    modules = _modules()
    known = set(modules)
    return {name: _imports(path, name, known) for name, path in modules.items()}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_scan_sees_the_imports() -> None:
    graph = import_graph()
    assert "seloste.rules" in graph["seloste.checks"]
    assert "seloste.rules" in graph["seloste.lint"] or any(
        "seloste.rules" in graph[m] for m in graph if m.startswith("seloste.lint."))
    assert "seloste.catalogue" in graph["seloste.checks"]
    # a lazy import inside a function counts
    assert "seloste.presets" in graph["seloste.draft_file"]


def test_the_circle_finder_finds_a_circle() -> None:
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert circles({"a": {"b"}, "b": set()}) == []


def test_no_import_circle() -> None:
    assert circles(import_graph()) == []


def test_checks_and_lint_do_not_import_each_other() -> None:
    graph = import_graph()
    lint = {m for m in graph if m == "seloste.lint" or m.startswith("seloste.lint.")}
    assert not graph["seloste.checks"] & lint
    assert all("seloste.checks" not in graph[m] for m in lint)


def test_no_page_touches_the_session_state_itself() -> None:
    """Issue #16: pages keep their flags through `seloste.web.state` (one owner of the
    session's keys), so no page reads or writes ``st.session_state`` directly."""
    pages = Path(__file__).resolve().parents[1] / "pages"
    offenders = [f"{page.name}:{n}" for page in sorted(pages.glob("*.py"))
                 for n, line in enumerate(page.read_text(encoding="utf-8").splitlines(), 1)
                 if "st.session_state" in line]
    assert sorted(pages.glob("*.py")), "no pages found"
    assert offenders == []
