#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image (Ubuntu 22.04, whose
# python3 is 3.10). It installs the grader and its pinned dependencies into a virtual environment
# of their own, AUTOGRADER_ROOT/venv (default /autograder/venv): Gradescope's harness runs on the
# system Python, which is left as it was. The files it installs are those beside this script
# (the unpacked autograder zip, /autograder/source on Gradescope).
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
SOURCE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
VENV="$ROOT/venv"

# Ubuntu ships python3 without venv/ensurepip; install them only when missing.
if ! command -v python3 >/dev/null 2>&1 || ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends python3 python3-venv python3-pip
fi

rm -rf "$VENV"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install --no-cache-dir --upgrade pip
# requirements.txt pins what build-autograder found installed; the package itself from source.
"$VENV/bin/python" -m pip install --no-cache-dir -r "$SOURCE/requirements.txt" "$SOURCE"

# Fail the image build, not every student's run, when the rubric cannot be loaded here.
"$VENV/bin/python" -m grader check-rubric --compile "$SOURCE"/rubrics/*.yaml  # compiled copies: faster cold starts
