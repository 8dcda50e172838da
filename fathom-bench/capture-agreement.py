#!/usr/bin/env python3
"""Per-capture agreement with nDPI, and a fixed held-out split of the corpus.

Usage: capture-agreement.py --corpus DIR --flows-dir DIR [--half work|held-out|all] [--worst N]

Reuses ndpi-agreement's parsing and matching (NDPI_AGREEMENT, default
../shared/tools/ndpi-agreement) and prints, for the chosen half of the captures, the flow-weighted
and per-capture protocol/application agreement on nDPI's DPI flows, and the captures that pull the
per-capture mean down the most (each capture's shortfall divided by the number of captures).

The split: a capture belongs to the held-out half when the first byte of SHA-256 of its file name
(e.g. 'skype.pcap') is odd. The split is fixed so that figures on the held-out half measure how
detection generalises to captures nobody tuned on (see docs/CLASSIFICATION.md).
"""
import argparse, hashlib, importlib.machinery, importlib.util, os, sys
from collections import defaultdict

HERE = os.path.dirname(os.path.abspath(__file__))


def load_tool(path):
    loader = importlib.machinery.SourceFileLoader('ndpi_agreement', path)
    spec = importlib.util.spec_from_loader('ndpi_agreement', loader)
    mod = importlib.util.module_from_spec(spec)
    loader.exec_module(mod)
    return mod


def held_out(cap):
    return hashlib.sha256(cap.encode()).digest()[0] % 2 == 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--corpus', required=True)
    ap.add_argument('--flows-dir', required=True)
    ap.add_argument('--half', choices=('work', 'held-out', 'all'), default='all')
    ap.add_argument('--worst', type=int, default=20)
    o = ap.parse_args()
    tool = load_tool(os.environ.get('NDPI_AGREEMENT', os.path.join(HERE, '..', '..', 'shared', 'tools', 'ndpi-agreement')))
    rdir = os.path.join(o.corpus, 'result')
    if not os.path.isdir(rdir) or not os.path.isdir(o.flows_dir):
        print('capture-agreement: no such folder: %s or %s' % (rdir, o.flows_dir), file=sys.stderr)
        return 2
    caps = []
    for out in sorted(os.listdir(rdir)):
        if not out.endswith('.out'):
            continue
        cap = out[:-4]
        if o.half != 'all' and held_out(cap) != (o.half == 'held-out'):
            continue
        mine_path = os.path.join(o.flows_dir, cap + '.jsonl')
        mine = tool.load_ours(mine_path)[0] if os.path.exists(mine_path) else []
        pool = defaultdict(list)
        for r in mine:
            pool[tool.key(r['l4'], r['a'], r['b'], r['vlan'])].append(r)
        n = pok = aok = 0
        misses = defaultdict(int)
        for f in tool.parse_out(os.path.join(rdir, out)):
            cands = pool.get(tool.key(f['l4'], f['a'], f['b'], f['vlan']))
            if not cands:
                continue
            r = cands.pop(0)
            a, m = f['app'].lower(), f['master'].lower()
            if not (f['conf'] in tool.DPI_CONF and a != 'unknown'):
                continue
            n += 1
            app_ok = r['application'].lower() == a
            aok += app_ok
            pok += app_ok or r['protocol'].lower() == m
            if not app_ok:
                misses['%s.%s -> %s.%s' % (f['master'], f['app'], r['protocol'], r['application'])] += 1
        if n:
            caps.append((cap, n, pok, aok, misses))
    if not caps:
        print('no capture with DPI flows')
        return 0
    N = len(caps)
    fn = sum(c[1] for c in caps)
    print('%s half: %d captures, %d DPI flows; flow-weighted protocol %.1f%% app %.1f%%; per capture protocol %.1f%% app %.1f%%' % (
        o.half, N, fn, 100.0 * sum(c[2] for c in caps) / fn, 100.0 * sum(c[3] for c in caps) / fn,
        100.0 * sum(c[2] / c[1] for c in caps) / N, 100.0 * sum(c[3] / c[1] for c in caps) / N))
    if o.worst:
        print('captures pulling the per-capture app mean down (points of the mean, protocol/app agreed/flows, misses):')
        for cap, n, pok, aok, misses in sorted(caps, key=lambda c: (c[1] - c[3]) / c[1], reverse=True)[:o.worst]:
            if aok == n:
                break
            top = ', '.join('%s x%d' % (k, v) for k, v in sorted(misses.items(), key=lambda kv: -kv[1])[:3])
            print('  %5.2f  %-40s %d/%d/%d  %s' % (100.0 * (n - aok) / n / N, cap, pok, aok, n, top))
    return 0


if __name__ == '__main__':
    sys.exit(main())
