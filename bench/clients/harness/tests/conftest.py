import os
import sys

HARNESS = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REPO = os.path.abspath(os.path.join(HARNESS, "..", "..", ".."))
sys.path.insert(0, HARNESS)
