#!/usr/bin/python3
"""ntc_live.py -- the community's TextFSM parsers read a live tunnel's shows.

Parses OUTPUT (what a vpnsh appliance printed for a show command while its
tunnel carried traffic) with the ntc-templates TEMPLATE and checks that the
template accepts every line (a template's Error state fails), that it yields
records, and that each FIELD=VALUE given holds in at least one record (a
bare FIELD: not empty). Fields the template fills from the device's own
capture (tests/<platform>/<command>/*.raw) but not from vpnsh's are listed
as notes: some are other software versions' or remote access's.

usage: ntc_live.py NTC_DIR TEMPLATE OUTPUT [FIELD=VALUE ...]
Exit 0 when all hold; prints what did not.
"""
import glob
import os
import sys

import textfsm


def parse(template, text):
    with open(template) as f:
        fsm = textfsm.TextFSM(f)
    return fsm.header, [dict(zip(fsm.header, r)) for r in fsm.ParseText(text)]


def main():
    ntc, name, output = sys.argv[1:4]
    want = dict(a.split('=', 1) if '=' in a else (a, '') for a in sys.argv[4:])
    template = os.path.join(ntc, 'templates', name)
    with open(output) as f:
        header, records = parse(template, f.read())
    ok = True
    if not records:
        print('ntc_live: %s parsed no record from %s' % (name, output))
        return 1
    # the fields the device capture fills
    platform, command = name.split('_', 1)[0] + '_' + name.split('_', 2)[1], name.split('_', 2)[2]
    command = command[:-len('.textfsm')]
    filled = set()
    for raw in glob.glob(os.path.join(ntc, 'tests', platform, command, '*.raw')):
        with open(raw, errors='replace') as f:
            for r in parse(template, f.read())[1]:
                filled |= {k for k, v in r.items() if v not in ('', [])}
    empty = [f for f in sorted(filled) if not any(r.get(f) not in ('', [], None) for r in records)]
    if empty:
        print('ntc_live: note: %s: empty here, filled in the device capture: %s' % (name, ' '.join(empty)))
    for field, value in want.items():
        if value == '' and any(r.get(field) not in ('', [], None) for r in records):
            continue
        if not any(str(r.get(field)) == value for r in records):
            print('ntc_live: %s: no record with %s=%s; got %s' %
                  (name, field, value, sorted({str(r.get(field)) for r in records})))
            ok = False
    return 0 if ok else 1


if __name__ == '__main__':
    sys.exit(main())
