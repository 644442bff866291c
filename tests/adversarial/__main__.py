"""Summary of the adversarial wrong solutions: ``python -m tests.adversarial`` (from the repo root).

Per checker: how many wrong solutions are written, how many the checker rejects, and how many of
those it rejects with a catalogued mistake (``CheckResult.mistakes`` non-empty). Wrong solutions
labelled "HANGS:" are skipped unless DLMATH_ADVERSARIAL_HANGS=1.
"""
import sys

from .harness import collect, run_one, hangs_enabled


def main():
    rows, passing = {}, []
    for checker, label, fn in collect():
        row = rows.setdefault(checker, [0, 0, 0, 0])    # written, rejected, catalogued, skipped
        row[0] += 1
        if label.startswith("HANGS:") and not hangs_enabled():
            row[3] += 1
            continue
        result, _ = run_one(checker, fn)
        status = getattr(result, "status", None)
        if status in ("failed", "error"):
            row[1] += 1
            if getattr(result, "mistakes", None):
                row[2] += 1
        else:
            passing.append((checker, label, status))
    width = max(len(c) for c in rows)
    print(f"{'checker':<{width}}  written  rejected  catalogued  skipped(HANGS)")
    for checker, (w, r, c, s) in rows.items():
        print(f"{checker:<{width}}  {w:7d}  {r:8d}  {c:10d}  {s:7d}")
    tot = [sum(r[i] for r in rows.values()) for i in range(4)]
    print(f"{'TOTAL':<{width}}  {tot[0]:7d}  {tot[1]:8d}  {tot[2]:10d}  {tot[3]:7d}")
    if passing:
        print("\nwrong solutions NOT rejected:")
        for checker, label, status in passing:
            print(f"  {checker}: {label}  (status {status!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
