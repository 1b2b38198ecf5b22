#!/usr/bin/python3
"""console_pty.py -- the interactive console on a real pseudo-terminal.

Drives `vpnsh` (or `vpnsh --connect SOCKET`) as a person would: `?` help,
TAB completion, Ctrl-Z, a password that is not echoed, and the pager.
Prints one line per check and a closing 'console: N passed, N failed'.

usage: console_pty.py VPNSH [--connect SOCKET]
"""
import os
import pty
import select
import sys
import time

VPNSH = sys.argv[1]
EXTRA = sys.argv[2:]
passed = 0
failed = 0


def check(desc, cond, context=""):
    global passed, failed
    if cond:
        passed += 1
    else:
        failed += 1
        print("FAIL: " + desc)
        if context:
            print("  screen: " + repr(context[-400:]))


class Console:
    def __init__(self, args):
        self.pid, self.fd = pty.fork()
        if self.pid == 0:
            os.execv(args[0], args)
        self.buf = b""

    def send(self, data):
        os.write(self.fd, data.encode() if isinstance(data, str) else data)

    def expect(self, text, timeout=5.0):
        """Read until text appears; return what was read up to and including it."""
        want = text.encode()
        deadline = time.time() + timeout
        while want not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                return None
            r, _, _ = select.select([self.fd], [], [], left)
            if not r:
                continue
            try:
                chunk = os.read(self.fd, 4096)
            except OSError:
                return None
            if not chunk:
                return None
            self.buf += chunk
        i = self.buf.index(want) + len(want)
        got, self.buf = self.buf[:i], self.buf[i:]
        return got.decode(errors="replace")

    def close(self):
        try:
            os.kill(self.pid, 9)
        except OSError:
            pass
        os.waitpid(self.pid, 0)


def main():
    args = [VPNSH] + (EXTRA if EXTRA else ["--db", "none", "--no-apply"])
    c = Console(args)
    got = c.expect("> ")
    check("user EXEC prompt", got is not None and got.endswith("ciscoasa> "), got or "")

    c.send("enable\r")
    got = c.expect("# ")
    check("enable without a secret", got is not None, got or "")

    c.send("show ?")
    got = c.expect("version")
    check("? lists the next keywords with help", got is not None and "running-config" in got, got or "")
    got = c.expect("# show ")
    check("? redisplays the line", got is not None, got or "")

    c.send("\x15")  # Ctrl-U: kill the line
    c.send("sh\tver\r")  # completes to "show ", then "ver" runs show version
    got = c.expect("Software Version")
    check("TAB completes a keyword", got is not None, got or "")
    c.expect("# ")

    c.send("configure terminal\r")
    got = c.expect("(config)# ")
    check("configure terminal", got is not None, got or "")
    c.send("interface eth7\r")
    got = c.expect("(config-if)# ")
    check("interface sub-mode prompt", got is not None, got or "")
    c.send("\x1a")  # Ctrl-Z
    got = c.expect("ciscoasa# ")
    check("Ctrl-Z returns to privileged EXEC", got is not None, got or "")

    c.send("configure terminal\r")
    c.expect("(config)# ")
    c.send("enable password Secret123\r")
    c.expect("(config)# ")
    c.send("end\r")
    c.expect("# ")
    c.send("disable\r")
    c.expect("> ")
    c.send("enable\r")
    got = c.expect("Password: ")
    check("enable asks for the password", got is not None, got or "")
    c.send("Secret123\r")
    got = c.expect("# ")
    check("the password is accepted", got is not None, got or "")
    check("the password is not echoed", got is not None and "Secret123" not in got, got or "")

    c.send("terminal pager 4\r")
    c.expect("# ")
    c.send("show running-config\r")
    got = c.expect("<--- More --->")
    check("the pager stops after a page", got is not None, got or "")
    c.send("q")
    got = c.expect("ciscoasa# ")
    check("q leaves the pager", got is not None, got or "")

    c.send("exit\r")
    c.close()
    print("console: %d passed, %d failed" % (passed, failed))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
