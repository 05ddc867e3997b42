#!/usr/bin/env bash
# Production recipe: `streamlit run app.py` behind nginx (TLS, gzip/brotli, Streamlit's static files from disk).
#
#   deploy/serve.sh          Ctrl-C or SIGTERM stops both; either one ending stops the other.
#
# Environment (all optional):
#   KANSRIJKE_PROXY_ADDRESS  address nginx listens on (127.0.0.1); another one serves others: needs sign-in
#   KANSRIJKE_PROXY_PORT     HTTPS port (8443)
#   KANSRIJKE_APP_PORT       Streamlit's port, always on 127.0.0.1 (8501)
#   KANSRIJKE_TLS_CERT, KANSRIJKE_TLS_KEY  certificate and key (PEM); without them a self-signed one, for testing only
#   KANSRIJKE_PROXY_STATE    pid files, logs, temp files, certificate, compressed static files
#                            (${XDG_STATE_HOME:-~/.local/state}/kansrijke-proxy)
#   KANSRIJKE_BROTLI_QUALITY quality of the pre-compressed .br files (11: smallest; made once per Streamlit version)
#   PYTHON, NGINX            the programs to run (python, nginx)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ADDRESS="${KANSRIJKE_PROXY_ADDRESS:-127.0.0.1}"
PORT="${KANSRIJKE_PROXY_PORT:-8443}"
APP_PORT="${KANSRIJKE_APP_PORT:-8501}"
STATE="${KANSRIJKE_PROXY_STATE:-${XDG_STATE_HOME:-$HOME/.local/state}/kansrijke-proxy}"
QUALITY="${KANSRIJKE_BROTLI_QUALITY:-11}"
PYTHON="${PYTHON:-python}"
NGINX="${NGINX:-nginx}"
MODULES=/usr/lib/nginx/modules
say() { echo "serve.sh: $*" >&2; }

command -v "$NGINX" >/dev/null || { say "nginx not found (apt-get install nginx)"; exit 2; }
cd "$ROOT"

# Streamlit always listens on 127.0.0.1, so the app takes itself for local mode (no sign-in: everyone may do
# everything). nginx on an address others reach needs sign-in, or KANSRIJKE_ZONDER_AANMELDEN=1 knowingly.
SIGN_IN='import os
from streamlit import config
if os.environ.get("STREAMLIT_SECRETS_FILES"):  # as `streamlit run` reads it
    config.set_option("secrets.files", os.environ["STREAMLIT_SECRETS_FILES"].split())
from kansrijke.web.auth import sign_in_configured
raise SystemExit(not sign_in_configured())'
FORCE="${KANSRIJKE_ZONDER_AANMELDEN:-}"
case "$ADDRESS" in
  127.* | localhost | "[::1]") ;;
  *) if ! [[ "${FORCE,,}" =~ ^(1|true|ja|yes)$ ]] && ! "$PYTHON" -c "$SIGN_IN" 2>/dev/null; then
       say "refused: nginx on $ADDRESS serves others, and sign-in is not configured (README \"Sign-in and roles\";"
       say "or set KANSRIJKE_ZONDER_AANMELDEN=1 on a network where you trust everyone who reaches it)"
       exit 2
     fi ;;
esac

(umask 077 && mkdir -p "$STATE/tmp")  # the state holds the private key and the logs
CERT="${KANSRIJKE_TLS_CERT:-}" KEY="${KANSRIJKE_TLS_KEY:-}"
if [[ -z "$CERT" || -z "$KEY" ]]; then
  CERT="$STATE/self-signed-FOR-TESTING-ONLY.crt" KEY="$STATE/self-signed-FOR-TESTING-ONLY.key"
  if [[ ! -s "$CERT" || ! -s "$KEY" ]]; then
    (umask 077 && openssl req -x509 -nodes -days 30 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -subj "/CN=localhost" -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout "$KEY" -out "$CERT" 2>/dev/null)
  fi
  say "WARNING: self-signed certificate $CERT, for testing only (set KANSRIJKE_TLS_CERT and KANSRIJKE_TLS_KEY)"
fi

# Streamlit's hashed static files, linked (not copied) beside pre-compressed .gz/.br copies: made once per version.
read -r VERSION SOURCE < <("$PYTHON" -c \
  "import os, streamlit as s; print(s.__version__, os.path.join(os.path.dirname(s.__file__), 'static'))")
STATIC="$STATE/static-$VERSION"
if [[ ! -d "$STATIC" ]]; then
  say "compressing Streamlit $VERSION's static files into $STATIC (once)"
  rm -rf "$STATIC.tmp" && mkdir -p "$STATIC.tmp" && cp -rs "$SOURCE/static" "$STATIC.tmp/static"
  BROTLI="$(command -v brotli || true)" && export BROTLI QUALITY  # no brotli program: .gz only
  find "$STATIC.tmp/static" \( -name '*.js' -o -name '*.css' -o -name '*.svg' -o -name '*.json' \) -print0 |
    xargs -0 -n 16 -P "$(nproc)" sh -c 'for f; do gzip -9 -n -c "$f" >"$f.gz"
      [ -z "$BROTLI" ] || "$BROTLI" -q "$QUALITY" -c "$f" >"$f.br"; done' sh
  mv "$STATIC.tmp" "$STATIC"
fi

LOAD="" BROTLI_CONF=""
if [[ -f "$MODULES/ngx_http_brotli_filter_module.so" && -f "$MODULES/ngx_http_brotli_static_module.so" ]]; then
  LOAD="load_module $MODULES/ngx_http_brotli_filter_module.so; load_module $MODULES/ngx_http_brotli_static_module.so;"
  BROTLI_CONF="include $ROOT/deploy/brotli.conf;"
fi
USER_LINE=""  # as root, nginx's workers would be "nobody"; they must read what root installed (better: not root)
[[ "$(id -u)" != 0 ]] || USER_LINE="user root;"
sed -e "s|@MODULES@|$LOAD|" -e "s|@USER@|$USER_LINE|" -e "s|@BROTLI@|$BROTLI_CONF|" -e "s|@STATE@|$STATE|g" \
  -e "s|@APP_PORT@|$APP_PORT|" -e "s|@ADDRESS@|$ADDRESS|" -e "s|@PORT@|$PORT|" -e "s|@CERT@|$CERT|" \
  -e "s|@KEY@|$KEY|" -e "s|@STATIC@|$STATIC|" "$ROOT/deploy/nginx.conf.template" >"$STATE/nginx.conf"
"$NGINX" -t -q -p "$STATE" -e "$STATE/error.log" -c "$STATE/nginx.conf"

APP_PID="" NGINX_PID=""
stop() {
  trap - INT TERM EXIT
  for pid in $NGINX_PID $APP_PID; do kill -TERM "$pid" 2>/dev/null || true; done
  wait || true
  rm -f "$STATE/streamlit.pid"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

"$PYTHON" -m streamlit run app.py --server.address 127.0.0.1 --server.port "$APP_PORT" &
APP_PID=$!
echo "$APP_PID" >"$STATE/streamlit.pid"
HEALTH="import urllib.request as u; u.build_opener(u.ProxyHandler({})).open(
  'http://127.0.0.1:$APP_PORT/_stcore/health', timeout=1)"
until "$PYTHON" -c "$HEALTH" 2>/dev/null; do
  kill -0 "$APP_PID" 2>/dev/null || { say "streamlit stopped before it answered"; exit 1; }
  sleep 0.3
done
"$NGINX" -p "$STATE" -e "$STATE/error.log" -c "$STATE/nginx.conf" -g "daemon off;" &
NGINX_PID=$!
say "serving https://$ADDRESS:$PORT/ (streamlit pid $APP_PID, nginx pid $NGINX_PID, logs in $STATE)"
wait -n "$APP_PID" "$NGINX_PID" || true
say "one of streamlit and nginx stopped; stopping the other"
exit 1
