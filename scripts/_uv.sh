# Sourced by the scripts: make sure uv is there and the workspace is installed.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export UV_PYTHON_DOWNLOADS=never
# Byte-compile at install: later runs import pandas, pyarrow, boto3 ... without compiling them
# (this matters most where PYTHONDONTWRITEBYTECODE is set, which keeps Python from caching).
export UV_COMPILE_BYTECODE=1
if ! command -v uv >/dev/null 2>&1; then
    python3 -m pip install --quiet --user uv 2>/dev/null || python3 -m pip install --quiet uv
    export PATH="$HOME/.local/bin:$PATH"
fi
uv sync --frozen --quiet
