#!/bin/bash
# Records the ClientHellos of local TLS clients (OpenSSL, GnuTLS, Python, curl,
# wget) on loopback into OUT (default live.pcap): a python listener on
# 127.0.0.1:PORT accepts and drops each connection while tshark records.
# Needs root (capture on lo). See README.md.
set -u
OUT=$(realpath "${1:-live.pcap}")
PORT=44330
LOG=$(mktemp)
rm -f "$OUT"
python3 - <<'PY' &
import socket, threading, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(('127.0.0.1', 44330)); s.listen(50); s.settimeout(90)
def serve(c):
    try:
        c.settimeout(2); c.recv(65536); time.sleep(0.3)
    except Exception: pass
    c.close()
t_end = time.time() + 80
while time.time() < t_end:
    try: c, _ = s.accept()
    except Exception: break
    threading.Thread(target=serve, args=(c,), daemon=True).start()
PY
LISTENER=$!
tshark -q -i lo -f "tcp port $PORT" -w "$OUT" 2>/dev/null &
TSHARK=$!
sleep 3
C="-connect 127.0.0.1:$PORT"
run() { echo "== $*" >> "$LOG"; timeout 5 "$@" </dev/null >/dev/null 2>&1; sleep 0.5; }

run openssl s_client $C
run openssl s_client $C -tls1_2 -cipher 'ECDHE+AESGCM' -servername a.test
run openssl s_client $C -tls1_3 -ciphersuites TLS_CHACHA20_POLY1305_SHA256 -alpn http/1.1
run openssl s_client $C -no_tls1_3 -sigalgs 'ECDSA+SHA256:RSA+SHA256' -curves prime256v1 -servername sig.test
run openssl s_client $C -tls1 -cipher 'DEFAULT@SECLEVEL=0'
run openssl s_client $C -tls1_1 -cipher 'DEFAULT@SECLEVEL=0' -servername old.test
run openssl s_client $C -alpn '_x,h2' -servername alpn.test
run openssl s_client $C -alpn 'a' -no_ticket -servername single.test
run openssl s_client $C -groups X448:ffdhe3072 -servername groups.test
run gnutls-cli --insecure -p $PORT 127.0.0.1
run gnutls-cli --insecure --priority 'NORMAL:-VERS-ALL:+VERS-TLS1.0:+VERS-TLS1.1' -p $PORT 127.0.0.1
run gnutls-cli --insecure --priority 'SECURE256' --alpn h2 --sni-hostname g.test -p $PORT 127.0.0.1
run gnutls-cli --insecure --priority 'NORMAL:%COMPAT' --alpn spdy/3 -p $PORT localhost
run python3 -c "import ssl,socket; c=ssl.create_default_context(); c.check_hostname=False; c.verify_mode=ssl.CERT_NONE; c.set_alpn_protocols(['h2','http/1.1']); c.wrap_socket(socket.create_connection(('127.0.0.1',$PORT)), server_hostname='py.test')"
run curl -sk https://127.0.0.1:$PORT/
run curl -sk --http1.1 --tlsv1.2 --tls-max 1.2 https://localhost:$PORT/
run wget -q --no-check-certificate -O /dev/null https://localhost:$PORT/
sleep 2
kill $TSHARK; wait $TSHARK 2>/dev/null
kill $LISTENER 2>/dev/null; wait $LISTENER 2>/dev/null
echo "$(wc -l < "$LOG") clients run"; rm -f "$LOG"
