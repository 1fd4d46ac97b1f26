#!/usr/bin/env python3
"""Regenerates cross_check.txt: JA3 from tshark and JA4 from FoxIO's ja4.py
for a set of real ClientHellos. See README.md.

usage: make_cross_check.py JA4_PY_DIR LIVE_PCAP [PCAP...] > cross_check.txt

JA4_PY_DIR holds FoxIO's python/ja4.py and common.py (github.com/FoxIO-LLC/ja4);
LIVE_PCAP is a loopback capture made by capture_live.sh; the other pcaps are
more captures to take ClientHellos from (FoxIO's pcap/ directory).

Every ClientHello found (plus those of ../client_hello/*.hex and of
s2n_known_values.txt) is written into one synthetic pcap, one TCP stream each,
and both tools are run on it; the live capture is also run through both
tools as captured, and the results must agree. Records with the same tshark
JA3 string (up to the order of the extensions) and JA4 raw string are kept once.
"""
import json
import os
import struct
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def tshark_hellos(path):
    """(frame, transport, handshake message hex) of every ClientHello."""
    out = subprocess.run(
        ['tshark', '-r', path, '-n', '-Y', 'tls.handshake.type==1', '-T', 'json', '-x'],
        capture_output=True, text=True, check=True).stdout
    found = []

    def walk(node, frame, transport):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == 'tls.handshake_raw':
                    for raw in (value if isinstance(value[0], list) else [value]):
                        if raw[0].startswith('01'):
                            found.append((frame, transport, raw[0]))
                else:
                    walk(value, frame, transport)
        elif isinstance(node, list):
            for item in node:
                walk(item, frame, transport)

    for pkt in json.loads(out or '[]'):
        layers = pkt['_source']['layers']
        walk(layers, layers['frame']['frame.number'], 'quic' if 'quic' in layers else 'tcp')
    return found


def write_pcap(path, messages):
    """One TCP segment per message (127.0.0.1:40000+i -> :443), one record each."""
    def checksum(data):
        total = sum(struct.unpack('>%dH' % (len(data) // 2), data))
        while total >> 16:
            total = (total & 0xffff) + (total >> 16)
        return ~total & 0xffff

    with open(path, 'wb') as f:
        f.write(struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1))
        for i, msg in enumerate(messages):
            version = b'\x03\x00' if msg[4:6] == b'\x03\x00' else b'\x03\x01'
            payload = b'\x16' + version + struct.pack('>H', len(msg)) + msg
            tcp = struct.pack('>HHIIBBHHH', 40000 + i, 443, 1000, 0, 5 << 4, 0x18, 65535, 0, 0)
            ip = struct.pack('>BBHHHBBH4s4s', 0x45, 0, 40 + len(payload), 1, 0x4000, 64, 6, 0,
                             b'\x7f\0\0\x01', b'\x7f\0\0\x01')
            ip = ip[:10] + struct.pack('>H', checksum(ip)) + ip[12:]
            frame = b'\0' * 12 + b'\x08\x00' + ip + tcp + payload
            f.write(struct.pack('<IIII', 1700000000 + i, 0, len(frame), len(frame)))
            f.write(frame)


def tshark_ja3(path):
    """{(stream, nth ClientHello of it): (ja3_full, ja3)}"""
    out = subprocess.run(
        ['tshark', '-r', path, '-n', '-Y', 'tls.handshake.type==1', '-T', 'fields',
         '-e', 'tcp.stream', '-e', 'tls.handshake.ja3_full', '-e', 'tls.handshake.ja3'],
        capture_output=True, text=True, check=True).stdout
    result, seen = {}, {}
    for line in out.splitlines():
        stream, full, digest = line.split('\t')
        n = seen[stream] = seen.get(stream, 0) + 1
        result[(int(stream), n)] = (full, digest)
    return result


def foxio_ja4(ja4_dir, path):
    """{(stream, nth ClientHello of it): (JA4, JA4_r)}"""
    out = subprocess.run([sys.executable, os.path.join(ja4_dir, 'ja4.py'), '-J', path],
                         capture_output=True, text=True, check=True).stdout
    result = {}
    decoder = json.JSONDecoder()
    pos = 0
    while True:
        while pos < len(out) and out[pos].isspace():
            pos += 1
        if pos >= len(out):
            break
        entry, pos = decoder.raw_decode(out, pos)
        n = 1
        while f'JA4.{n}' in entry:
            result[(int(entry['stream']), n)] = (entry[f'JA4.{n}'], entry[f'JA4_r.{n}'])
            n += 1
    return result


def main():
    ja4_dir, live, others = sys.argv[1], sys.argv[2], sys.argv[3:]
    hellos = []  # (source, transport, message bytes)
    captures = os.path.join(HERE, '..', 'client_hello')
    for name in sorted(os.listdir(captures)):
        if name.endswith('.hex'):
            with open(os.path.join(captures, name)) as f:
                hellos.append(('client_hello/' + name, 'tcp', bytes.fromhex(f.read().strip())))
    with open(os.path.join(HERE, 's2n_known_values.txt')) as f:
        name = None
        for line in f:
            if line.startswith('name: '):
                name = line[6:].strip()
            elif line.startswith('hello: '):
                hellos.append(('s2n known value: ' + name, 'tcp', bytes.fromhex(line[7:].strip())))
    live_hellos = tshark_hellos(live)
    for frame, transport, raw in live_hellos:
        hellos.append((f'live loopback capture, frame {frame}', transport, bytes.fromhex(raw)))
    for path in others:
        for frame, transport, raw in tshark_hellos(path):
            hellos.append((f'{os.path.basename(path)} frame {frame}', transport, bytes.fromhex(raw)))

    with tempfile.TemporaryDirectory() as tmp:
        pcap = os.path.join(tmp, 'hellos.pcap')
        write_pcap(pcap, [msg for _, _, msg in hellos])
        ja3 = tshark_ja3(pcap)
        ja4 = foxio_ja4(ja4_dir, pcap)

    # The live capture as recorded gives the same results as re-wrapped.
    live_ja3, live_ja4 = tshark_ja3(live), foxio_ja4(ja4_dir, live)
    assert sorted(live_ja3.values()) == sorted(
        v for k, v in ja3.items() if hellos[k[0]][0].startswith('live')), 'live JA3 differs'
    assert sorted(live_ja4.values()) == sorted(
        v for k, v in ja4.items() if hellos[k[0]][0].startswith('live')), 'live JA4 differs'

    print('# Generated by make_cross_check.py (see README.md): for each ClientHello,')
    print('# tshark\'s tls.handshake.ja3_full / ja3 and FoxIO ja4.py\'s JA4 / JA4_r.')
    print(f'# {len(hellos)} ClientHellos, kept once per distinct (ja3_full up to extension order, ja4_r).')
    print()
    kept = {}
    for i, (source, transport, msg) in enumerate(hellos):
        # Chrome shuffles its extensions per connection: one order is enough.
        fields = ja3[(i, 1)][0].split(',')
        fields[2] = '-'.join(sorted(fields[2].split('-')))
        key = (','.join(fields), ja4[(i, 1)][1])
        if key in kept:
            kept[key][1].append(source)
            continue
        kept[key] = (i, [source])
    for key, (i, sources) in sorted(kept.items(), key=lambda kv: kv[1][0]):
        source, transport, msg = hellos[i]
        print(f'source: {source}' + (f' (+{len(sources) - 1} same)' if len(sources) > 1 else ''))
        print(f'transport: {transport}')
        print(f'hello: {msg.hex()}')
        print(f'tshark_ja3_full: {ja3[(i, 1)][0]}')
        print(f'tshark_ja3: {ja3[(i, 1)][1]}')
        print(f'foxio_ja4: {ja4[(i, 1)][0]}')
        print(f'foxio_ja4_r: {ja4[(i, 1)][1]}')
        print()


if __name__ == '__main__':
    main()
