#!/usr/bin/python3
"""esp_inject.py -- an attacker on the path of a tunnel, for the network tests.

Waits (at most 10 s) for one ESP packet (IP protocol 50, or UDP port 4500
with a non-zero SPI) from SRC to DST on interface IFACE, then sends it, or
a damaged copy of it, COUNT times towards DST:

  replay    the packet as it was
  tamper    one byte of the encrypted payload changed, and a sequence number
            ahead of the window (so that the ICV, not the window, refuses it)
  badspi    the SPI changed to one nobody has
  truncate  cut after the ESP header

usage: esp_inject.py IFACE SRC DST MODE [COUNT]     (as root, in the namespace)
Prints what it sent; exits 1 when no packet came.
"""
import socket
import struct
import sys
import time


def esp_offset(pkt):
    """Offset of the ESP header in an IPv4 packet, or None."""
    ihl = (pkt[0] & 15) * 4
    if pkt[9] == 50:
        return ihl
    if pkt[9] == 17 and len(pkt) >= ihl + 12:
        dport = struct.unpack('!H', pkt[ihl + 2:ihl + 4])[0]
        if dport == 4500 and pkt[ihl + 8:ihl + 12] != b'\0\0\0\0':
            return ihl + 8
    return None


def main():
    iface, src, dst, mode = sys.argv[1:5]
    count = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    # ETH_P_ALL: a packet socket bound to one protocol sees no outgoing packets
    sniff = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(3))
    sniff.bind((iface, 3))
    sniff.settimeout(0.5)
    want_src, want_dst = socket.inet_aton(src), socket.inet_aton(dst)
    deadline = time.time() + 10
    pkt = None
    while time.time() < deadline and pkt is None:
        try:
            data, addr = sniff.recvfrom(65535)
        except socket.timeout:
            continue
        if addr[1] == 0x0800 and len(data) >= 20 and data[12:16] == want_src and data[16:20] == want_dst and esp_offset(data):
            pkt = bytearray(data)
    if pkt is None:
        print('esp_inject: no ESP packet from %s to %s on %s' % (src, dst, iface))
        return 1
    off = esp_offset(pkt)
    if mode == 'tamper':
        pkt[off + 8 + (len(pkt) - off - 8) // 2] ^= 0x5a
        seq = struct.unpack('!I', pkt[off + 4:off + 8])[0] + 1000
        pkt[off + 4:off + 8] = struct.pack('!I', seq)
    elif mode == 'badspi':
        pkt[off:off + 4] = b'\x7e\xad\xbe\xef'
    elif mode == 'truncate':
        pkt = pkt[:off + 8]
        pkt[2:4] = struct.pack('!H', len(pkt))
        if pkt[9] == 17:
            pkt[off - 4:off - 2] = struct.pack('!H', 16)
    if pkt[9] == 17:
        pkt[off - 2:off] = b'\0\0'  # no UDP checksum (RFC 3948)
    raw = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    for _ in range(count):
        raw.sendto(bytes(pkt), (dst, 0))
    spi = struct.unpack('!I', pkt[off:off + 4])[0]
    print('esp_inject: sent %d %s packet(s), SPI 0x%08x' % (count, mode, spi))
    return 0


if __name__ == '__main__':
    sys.exit(main())
