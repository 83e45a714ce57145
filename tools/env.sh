# Sourced by tools/bootstrap, tools/with-env and tools/run-suite: one place that says where the
# project's pinned tools live. All of them sit in ignored folders under the repository root.
SEG_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SEG_TOOLS="$SEG_ROOT/.tools"
SEG_NODE_VERSION="24.21.0"
SEG_OPA_VERSION="1.22.3"
SEG_ICEBERG_REST_VERSION="1.10.1"
SEG_ICEBERG_REST_SHA256="09e6aef58984eaa58bf1e1bc5193ad023e929c6bfd38c82db7b83ffe825af724"
SEG_NODE_HOME="$SEG_TOOLS/node-v$SEG_NODE_VERSION"
SEG_VENV="$SEG_TOOLS/venv"
export SEG_ROOT SEG_TOOLS SEG_NODE_VERSION SEG_OPA_VERSION SEG_NODE_HOME SEG_VENV SEG_ICEBERG_REST_VERSION SEG_ICEBERG_REST_SHA256

# Use the pinned Node 24 when the machine's Node is older than 22 (DESIGN.md §2).
seg_local_node_major() {
  command -v node >/dev/null 2>&1 || { echo 0; return; }
  node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0
}
if [ -x "$SEG_NODE_HOME/bin/node" ]; then
  PATH="$SEG_NODE_HOME/bin:$PATH"
fi
PATH="$SEG_TOOLS/bin:$SEG_ROOT/node_modules/.bin:$PATH"
export PATH
export SEG_OPA="$SEG_TOOLS/bin/opa"
export SEG_PYTHON="$SEG_VENV/bin/python"
export SEG_ICEBERG_REST_JAR="$SEG_TOOLS/iceberg-rest/iceberg-open-api-$SEG_ICEBERG_REST_VERSION.jar"
# Native addons must build against the Node that runs them, not the machine's /usr headers.
if [ -d "$SEG_NODE_HOME/include/node" ]; then
  export npm_config_nodedir="$SEG_NODE_HOME"
fi
