#!/usr/bin/python3
"""textfsm_check.py -- the community's parsers read vpnsh as they read a device.

For each ntc-templates capture of a configuration command (the device's own
`show running-config crypto map`, `... crypto ikev1` output), the captured
lines are pasted into a fresh vpnsh, the same show command is run, and the
ntc-templates TextFSM template must parse vpnsh's output into exactly the
records it parses from the device capture. Tunnel groups, whose capture uses
remote-access features vpnsh does not have, are checked on a site-to-site
configuration field by field.

usage: textfsm_check.py VPNSH NTC_DIR
Prints 'textfsm: N passed, N failed'.
"""
import glob
import os
import subprocess
import sys
import tempfile

import textfsm
import yaml

VPNSH, NTC = sys.argv[1], sys.argv[2]
passed = failed = 0


def check(desc, cond, detail=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + desc)
        if detail:
            print("  " + detail[:2000])


def vpnsh(config_lines, command, personality="asa"):
    """Paste config_lines into a fresh appliance, return the output of command."""
    with tempfile.TemporaryDirectory() as d:
        db = os.path.join(d, "startup.db")
        paste = "enable\nconfigure terminal\n" + "\n".join(config_lines) + "\nend\nwrite memory\n"
        r = subprocess.run([VPNSH, "--db", db, "--no-apply", "--personality", personality, "--strict"],
                           input=paste, capture_output=True, text=True)
        if r.returncode != 0:
            return None, r.stderr + r.stdout[-1500:]
        r = subprocess.run([VPNSH, "--db", db, "--no-apply", "-c", command], capture_output=True, text=True)
        return r.stdout, r.stderr


def parse(template, text):
    with open(template) as f:
        fsm = textfsm.TextFSM(f)
    rows = fsm.ParseText(text)
    return [dict(zip([h.lower() for h in fsm.header], row)) for row in rows]


def device_capture_cases():
    cases = [("show_running-config_crypto_map", "show running-config crypto map"),
             ("show_running-config_crypto_ikev1", "show running-config crypto ikev1")]
    for folder, command in cases:
        template = os.path.join(NTC, "templates", "cisco_asa_" + folder + ".textfsm")
        for raw in sorted(glob.glob(os.path.join(NTC, "tests", "cisco_asa", folder, "*.raw"))):
            name = os.path.basename(raw)
            with open(raw) as f:
                lines = [l.rstrip("\n") for l in f if l.strip()]
            with open(raw[:-4] + ".yml") as f:
                want = yaml.safe_load(f)["parsed_sample"]
            out, err = vpnsh(lines, command)
            check(name + ": the capture pastes into vpnsh", out is not None, err)
            if out is None:
                continue
            try:
                got = parse(template, out)
            except textfsm.TextFSMError as e:
                check(name + ": the template parses vpnsh's output", False, str(e) + "\n" + out)
                continue
            device = parse(template, "\n".join(lines) + "\n")
            check(name + ": the template parses the capture as the fixture says", device == want)
            check(name + ": vpnsh's output parses into the device's records", got == want,
                  "got %s\nwant %s\noutput:\n%s" % (got, want, out))


def tunnel_group_case():
    template = os.path.join(NTC, "templates", "cisco_asa_show_running-config_tunnel-group.textfsm")
    config = [
        "group-policy GP-L2L internal",
        "tunnel-group 203.0.113.10 type ipsec-l2l",
        "tunnel-group 203.0.113.10 general-attributes",
        " default-group-policy GP-L2L",
        "tunnel-group 203.0.113.10 ipsec-attributes",
        " ikev1 pre-shared-key Sup3rS3cret",
        " peer-id-validate nocheck",
        "tunnel-group 198.51.100.7 type ipsec-l2l",
        "tunnel-group 198.51.100.7 ipsec-attributes",
        " ikev1 pre-shared-key An0therKey",
    ]
    out, err = vpnsh(config, "show running-config tunnel-group")
    check("tunnel-group: the configuration pastes", out is not None, err)
    if out is None:
        return
    check("tunnel-group: keys are masked", "Sup3rS3cret" not in out and "An0therKey" not in out, out)
    try:
        got = parse(template, out)
    except textfsm.TextFSMError as e:
        check("tunnel-group: the template parses vpnsh's output", False, str(e) + "\n" + out)
        return
    by_name = {r["name"]: r for r in got}
    a = by_name.get("203.0.113.10", {})
    b = by_name.get("198.51.100.7", {})
    check("tunnel-group: two groups parsed", len(got) == 2, str(got))
    check("tunnel-group: type", a.get("type") == "ipsec-l2l" and b.get("type") == "ipsec-l2l", str(got))
    check("tunnel-group: default group policy", a.get("group_policy") == "GP-L2L", str(a))
    check("tunnel-group: masked IKEv1 key", a.get("ikev1_psk") == "*****" and b.get("ikev1_psk") == "*****", str(got))
    check("tunnel-group: peer-id-validate", a.get("peer_id_validate") == "nocheck", str(a))


device_capture_cases()
tunnel_group_case()
print("textfsm: %d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
