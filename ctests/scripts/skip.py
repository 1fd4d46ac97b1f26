#!/usr/bin/env python3
"""Placeholder for a test that cannot run here: prints why and exits 77,
which ctest reports as skipped (SKIP_RETURN_CODE 77)."""
import sys

print("SKIP: " + " ".join(sys.argv[1:]))
sys.exit(77)
