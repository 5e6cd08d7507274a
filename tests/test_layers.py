"""The layout is the data flow: each folder of addin/ imports only folders below it, and no
module imports itself back through others (issue: no import circles, no upward imports).
Read from the source with ast, lazy imports inside functions included."""
from __future__ import annotations

import ast
from pathlib import Path

ADDIN = Path(__file__).resolve().parents[1] / "addin"
# Lower number = lower layer. Same-layer imports are allowed only inside one folder.
RANK = {"common": 0, "workbook": 1, "core": 2, "render": 3, "app": 4, "proofread": 4.5, "api": 5,
        "public": 6, "office": 6, "cli": 7, "__main__": 8}


def modules() -> dict[str, Path]:
    out = {}
    for path in ADDIN.rglob("*.py"):
        if "templates" in path.parts:
            continue
        parts = list(path.relative_to(ADDIN.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                up = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(up + ([base] if base else []))
            targets = [base] + [f"{base}.{a.name}" for a in node.names]
        else:
            continue
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name and t.startswith("addin."):
                found.add(t)
    return found


def folder(name: str) -> str:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else ""


GRAPH = {n: imports_of(n, p, set(modules())) for n, p in modules().items()}


def test_no_upward_imports():
    wrong = []
    for name, deps in GRAPH.items():
        if folder(name) not in RANK:
            continue
        for dep in deps:
            a, b = folder(name), folder(dep)
            if b in RANK and a != b and RANK[b] >= RANK[a]:
                wrong.append(f"{name} -> {dep}")
    assert not wrong, "upward or sideways imports:\n" + "\n".join(sorted(wrong))


def test_no_import_circles():
    def modules_only(deps):  # a package's __init__ is imported on the way to its modules: not an edge back
        return {d for d in deps}

    cycles, state = [], {}

    def visit(n, stack):
        state[n] = 1
        stack.append(n)
        for d in sorted(modules_only(GRAPH.get(n, ()))):
            if n.startswith(d + "."):
                continue  # a module importing its own package's __init__
            if state.get(d) == 1:
                cycles.append(" -> ".join(stack[stack.index(d):] + [d]))
            elif d not in state:
                visit(d, stack)
        stack.pop()
        state[n] = 2

    for n in sorted(GRAPH):
        if n not in state:
            visit(n, [])
    assert not cycles, "import circles:\n" + "\n".join(cycles)


def test_core_never_imports_office_libraries():
    for name, path in modules().items():
        if folder(name) in ("common", "workbook", "core", "render", "app"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
            names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
            assert not names & {"xlwings", "uno", "unohelper"}, name
