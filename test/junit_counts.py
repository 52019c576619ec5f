"""Prints "passed failed skipped" for a pytest --junitxml file, for test/run-all.sh's closing line.

A skipped test did not run, so it is not a pass: junit's `tests` attribute counts it, and the old
count (tests - failures - errors) reported every skip as passed.
"""
import sys
import xml.etree.ElementTree as ET


def counts(path: str) -> tuple[int, int, int]:
    root = ET.parse(path).getroot()
    suites = [root] if root.tag == 'testsuite' else list(root)
    total = lambda key: sum(int(s.get(key, 0)) for s in suites)  # noqa: E731
    tests, failures, errors, skipped = total('tests'), total('failures'), total('errors'), total('skipped')
    return tests - failures - errors - skipped, failures + errors, skipped


if __name__ == '__main__':
    print(*counts(sys.argv[1]))
