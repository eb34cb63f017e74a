"""Structure figures (not speed): imports of the project's own modules made inside functions, and import cycles.

    .venv/bin/python benchmarks/structure.py      # from the repository root

Issue #19 asks for both counts before and after the clean-up. A cycle is a group of modules (survey_app, bots,
nlp; migrations left out) that reach each other through their top-level imports.
"""
import ast
import sys
from pathlib import Path

ROOTS = ("survey_app", "bots", "nlp")


def module_of(path: Path) -> str:
    parts = list(path.with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def resolve(node, mod, is_pkg):
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = mod.split(".") if is_pkg else mod.split(".")[:-1]
            base = base[: len(base) - (node.level - 1)]
            target = ".".join(base + ([node.module] if node.module else []))
        else:
            target = node.module or ""
        return [target] + [f"{target}.{a.name}" for a in node.names]
    return [a.name for a in node.names]


files = [p for r in ROOTS for p in Path(r).rglob("*.py") if "migrations" not in p.parts]
mods = {module_of(p): p for p in files}
local, graph = 0, {m: set() for m in mods}
for m, p in mods.items():
    tree = ast.parse(p.read_text())
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            targets = [t for t in resolve(node, m, p.name == "__init__.py") if t in mods]
            if not targets:
                continue
            if node.col_offset > 0:
                local += 1
            elif not isinstance(getattr(node, "parent", None), ast.If):
                graph[m].update(t for t in targets if t != m)
# cycles: strongly connected components of size > 1 over top-level imports
index, low, stack, on, sccs, counter = {}, {}, [], set(), [], [0]
sys.setrecursionlimit(10000)


def visit(v):
    index[v] = low[v] = counter[0]
    counter[0] += 1
    stack.append(v)
    on.add(v)
    for w in graph[v]:
        if w not in index:
            visit(w)
            low[v] = min(low[v], low[w])
        elif w in on:
            low[v] = min(low[v], index[w])
    if low[v] == index[v]:
        comp = []
        while True:
            w = stack.pop()
            on.discard(w)
            comp.append(w)
            if w == v:
                break
        if len(comp) > 1:
            sccs.append(sorted(comp))


for v in graph:
    if v not in index:
        visit(v)
print(f"function-level imports of project modules: {local}")
print(f"import cycles (strongly connected groups of modules, top-level imports): {len(sccs)}")
for c in sccs:
    print("  ", " ⇄ ".join(c))
