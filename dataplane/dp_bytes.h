/*
 * dp_bytes.h -- big-endian fields of packet headers, for the dataplane.
 */
#ifndef VPNSH_DP_BYTES_H
#define VPNSH_DP_BYTES_H

#include <stdint.h>

static inline uint16_t dp_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t dp_get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void dp_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void dp_put32(uint8_t *p, uint32_t v)
{
	dp_put16(p, (uint16_t)(v >> 16));
	dp_put16(p + 2, (uint16_t)v);
}

#endif
